using FluentValidation;
using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Auth;
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
    TimeProvider time,
    IHttpContextAccessor http)
{
    public HostStore Store => store;
    public IValidator<HostRequest> Validator => validator;
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The token that asked for this write, for its events.</summary>
    public string? Actor => ApiActor.Of(http.HttpContext?.User);

    /// <summary>A password from a request, protected for storage; null when the request sets none.</summary>
    public string? ProtectPassword(string? password) => string.IsNullOrEmpty(password) ? null : passwords.Protect(password);

    /// <summary>
    /// As <see cref="ProtectPassword"/>, but null also when the request repeats the stored password: applying the same
    /// spec again (a playbook sends the password every run) must change nothing.
    /// </summary>
    public string? ProtectChangedPassword(string? password, string? storedProtected) =>
        storedProtected is not null && !string.IsNullOrEmpty(password) && passwords.Matches(storedProtected, password)
            ? null
            : ProtectPassword(password);

    /// <summary>
    /// Every write asks for a reconcile at once; should that request be lost with the process, the host is due again
    /// after the safety-net delay and the sweep finds it.
    /// </summary>
    public DateTimeOffset SafetyNetFrom(DateTimeOffset now) => now + timings.SafetyNet;

    public void Reconcile(Guid hostId) => reconcile.Enqueue(hostId);
}
