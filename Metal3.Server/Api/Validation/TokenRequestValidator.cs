using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Server.Auth;

namespace Metal3.Server.Api.Validation;

public sealed class TokenRequestValidator : AbstractValidator<TokenRequest>
{
    public TokenRequestValidator()
    {
        RuleFor(t => t.Name).NotEmpty().MaximumLength(100);
        RuleFor(t => t.Role)
            .Must(r => r is Roles.Admin or Roles.Reader)
            .WithMessage($"must be '{Roles.Admin}' or '{Roles.Reader}'");
    }
}
