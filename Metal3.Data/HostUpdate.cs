using Metal3.Core.Hosts;

namespace Metal3.Data;

/// <summary>How an update ended, with the host as saved (or as last seen) and the refusal when there was one.</summary>
public sealed record HostUpdate<T>(WriteOutcome Outcome, Host? Host, T? Refusal = null) where T : class;
