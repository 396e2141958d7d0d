using FluentValidation;
using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Jobs;
using Metal3.Server.Security;

namespace Metal3.Server.Api;

/// <summary>What the host endpoints need, as one parameter.</summary>
public sealed class HostServices(
    HostStore store,
    IValidator<HostRequest> validator,
    BmcPasswordProtector passwords,
    IReconcileQueue reconcile,
    JobTimings timings,
    TimeProvider time)
{
    public HostStore Store => store;
    public IValidator<HostRequest> Validator => validator;
    public BmcPasswordProtector Passwords => passwords;
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Every write asks for a reconcile at once; should that request be lost with the process, the host is due again
    /// after the safety-net delay and the sweep finds it.
    /// </summary>
    public DateTime SafetyNetFrom(DateTime now) => now + timings.SafetyNet;

    public void Reconcile(Guid hostId) => reconcile.Enqueue(hostId);
}
