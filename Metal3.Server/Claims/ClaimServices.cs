using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data;

namespace Metal3.Server.Claims;

/// <summary>What the claim endpoints need, as one parameter.</summary>
public sealed class ClaimServices(ClaimStore store, IValidator<ClaimRequest> validator, ClaimNudges nudges)
{
    public ClaimStore Store => store;
    public IValidator<ClaimRequest> Validator => validator;

    /// <summary>A claim was written: the binding loop of this daemon looks now rather than at its next tick.</summary>
    public void Nudge() => nudges.Nudge();
}
