using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Auth;
using Metal3.Server.Claims;

namespace Metal3.Server.HostSets;

/// <summary>What the host set endpoints need, as one parameter.</summary>
public sealed class HostSetServices(HostSetStore store, IValidator<HostSetRequest> validator, ClaimNudges nudges, IHttpContextAccessor http)
{
    public HostSetStore Store => store;
    public IValidator<HostSetRequest> Validator => validator;

    /// <summary>The token that asked for this write, for its events.</summary>
    public string? Actor => ApiActor.Of(http.HttpContext?.User);

    /// <summary>A set was written: the claims loop of this daemon, which also keeps the sets, looks now.</summary>
    public void Nudge() => nudges.Nudge();
}
