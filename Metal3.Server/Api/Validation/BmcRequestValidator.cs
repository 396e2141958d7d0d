using System.Text;
using FluentValidation;
using Metal3.Core.Bmc;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

public sealed class BmcRequestValidator : AbstractValidator<BmcRequest>
{
    // IPMI v2.0 §13.17 / §22.28: user names are 16 bytes, passwords 20 bytes at most.
    private const int IpmiMaxUsernameBytes = 16;
    private const int IpmiMaxPasswordBytes = 20;

    public BmcRequestValidator()
    {
        RuleFor(b => b.Address).Custom((address, context) =>
        {
            if (!BmcAddress.TryParse(address, out _, out string error))
            {
                context.AddFailure(error);
            }
        });

        RuleFor(b => b.Username)
            .NotEmpty().When(NeedsCredentials).WithMessage("a username is required for this BMC")
            .MaximumLength(256);
        RuleFor(b => b.Username)
            .Must(u => Encoding.UTF8.GetByteCount(u!) <= IpmiMaxUsernameBytes)
            .When(b => IsIpmi(b) && b.Username is not null)
            .WithMessage($"an IPMI user name is at most {IpmiMaxUsernameBytes} bytes");

        RuleFor(b => b.Password)
            .Must((bmc, password, ctx) => !string.IsNullOrEmpty(password) || PasswordAlreadyStored(ctx))
            .When(NeedsCredentials)
            .WithMessage("a password is required for this BMC")
            .MaximumLength(256);
        RuleFor(b => b.Password)
            .Must(p => Encoding.UTF8.GetByteCount(p!) <= IpmiMaxPasswordBytes)
            .When(b => IsIpmi(b) && b.Password is not null)
            .WithMessage($"an IPMI password is at most {IpmiMaxPasswordBytes} bytes");
    }

    private static bool NeedsCredentials(BmcRequest b) =>
        BmcAddress.TryParse(b.Address, out var address, out _) && address!.NeedsCredentials;

    private static bool IsIpmi(BmcRequest b) =>
        BmcAddress.TryParse(b.Address, out var address, out _) && address!.Kind == BmcDriverKind.Ipmi;

    private static bool PasswordAlreadyStored(ValidationContext<BmcRequest> ctx) =>
        ctx.RootContextData.TryGetValue(HostRequestValidator.PasswordStored, out var stored) && stored is true;
}
