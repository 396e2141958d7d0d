using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>What each state waits for, what it does, and which error type its failures carry (named here only).</summary>
public sealed record StateDescription(ProvisioningState State, string WaitsFor, string Does, ErrorType FailsWith);
