using Metal3.Core.Hosts;
using Metal3.Core.Provisioning.Steps;

namespace Metal3.Core.Provisioning;

/// <summary>What a reconcile decided: when to look at the host again, or that it is gone.</summary>
public sealed record ReconcileOutcome(DateTimeOffset? NextLookAt, bool Remove);
