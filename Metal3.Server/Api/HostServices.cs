using FluentValidation;
using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Cache;
using Metal3.Server.Jobs;
using Metal3.Server.Security;

namespace Metal3.Server.Api;

/// <summary>What the host endpoints need, as one parameter.</summary>
public sealed class HostServices(
    HostStore store,
    EnrollmentGroups enrollments,
    IValidator<HostRequest> validator,
    BmcPasswordProtector passwords,
    IReconcileQueue reconcile,
    JobTimings timings,
    HostCache cache,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider time)
{
    public HostStore Store => store;

    /// <summary>Enrollments, committed in groups under load.</summary>
    public EnrollmentGroups Enrollments => enrollments;
    public IValidator<HostRequest> Validator => validator;
    public DateTimeOffset Now => time.GetUtcNow();

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

    /// <summary>
    /// The host as this write committed (or found) it, into the cache before the client hears of it: a read through this
    /// daemon after the answer is never older (read-your-writes). The cached bytes are also the answer's body.
    /// </summary>
    public CachedHost Cached(Metal3.Core.Hosts.Host host)
    {
        var cached = CachedHost.From(host, json.Value.SerializerOptions);
        cache.Put(cached);
        return cached;
    }
}
