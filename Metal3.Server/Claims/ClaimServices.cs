using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Auth;

namespace Metal3.Server.Claims;

/// <summary>What the claim endpoints need, as one parameter.</summary>
public sealed class ClaimServices(ClaimStore store, IValidator<ClaimRequest> validator, ClaimNudges nudges, IHttpContextAccessor http)
{
    public ClaimStore Store => store;
    public IValidator<ClaimRequest> Validator => validator;

    /// <summary>The token that asked for this write, for its events.</summary>
    public string? Actor => ApiActor.Of(http.HttpContext?.User);

    /// <summary>A claim was written: the binding loop of this daemon looks now rather than at its next tick.</summary>
    public void Nudge() => nudges.Nudge();
}
