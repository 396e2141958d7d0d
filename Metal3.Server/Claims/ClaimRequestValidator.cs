using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Server.Api.Validation;

namespace Metal3.Server.Claims;

/// <summary>Validates a claim and reports every bad field at once.</summary>
public sealed class ClaimRequestValidator : AbstractValidator<ClaimRequest>
{
    public ClaimRequestValidator()
    {
        RuleFor(c => c.Name)
            .NotEmpty().WithMessage("a name is required")
            .Must(HostName.IsValid).When(c => !string.IsNullOrEmpty(c.Name), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit");

        RuleFor(c => c.Labels).Custom(LabelRules.Validate);

        RuleFor(c => c.LabelSelector).Custom((selector, context) =>
        {
            if (!ClaimSelectors.TryParse(selector, out _, out string? error))
            {
                context.AddFailure(error!);
            }
        });

        RuleFor(c => c.Hardware).SetValidator(new HardwareRequestValidator()!);

        RuleFor(c => c.Image).SetValidator(new ImageRequestValidator()!);

        RuleFor(c => c.UserData).Must(FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
        RuleFor(c => c.NetworkData).Must(FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
        RuleFor(c => c.MetaData).Must(FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
        // Data goes to the config drive written with the image; without one it would be silently dropped.
        RuleFor(c => c.UserData).Null().When(c => c.Image is null).WithMessage("userData needs an image to provision");
        RuleFor(c => c.NetworkData).Null().When(c => c.Image is null).WithMessage("networkData needs an image to provision");
        RuleFor(c => c.MetaData).Null().When(c => c.Image is null).WithMessage("metaData needs an image to provision");
    }

    internal static bool FitsDataLimit(string? data) =>
        data is null || System.Text.Encoding.UTF8.GetByteCount(data) <= HostRequestValidator.MaxDataBytes;
}
