using System.Text.RegularExpressions;
using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Server.Auth;

namespace Metal3.Server.Api.Validation;

public sealed partial class TokenRequestValidator : AbstractValidator<TokenRequest>
{
    /// <summary>
    /// The name goes into a URL path (<c>DELETE /api/v1/tokens/{name}</c>), every event's actor and every audit line:
    /// plain characters only, so that none of them needs quoting or can be forged with a separator.
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,98}[A-Za-z0-9])?$")]
    private static partial Regex Name();

    public TokenRequestValidator(TimeProvider time)
    {
        RuleFor(t => t.Name).NotEmpty().Matches(Name())
            .WithMessage("must be at most 100 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        RuleFor(t => t.Role)
            .Must(r => r is Roles.Admin or Roles.Reader)
            .WithMessage($"must be '{Roles.Admin}' or '{Roles.Reader}'");
        RuleFor(t => t.ExpiresAt)
            .Must(e => e is null || e > time.GetUtcNow())
            .WithMessage("must be in the future (or left out: the token does not expire)");
    }
}
