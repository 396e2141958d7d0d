using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Core.HostSets;
using Metal3.Server.Api.Validation;
using Metal3.Server.Claims;

namespace Metal3.Server.HostSets;

/// <summary>A template must provision something: a set's claims without an image would hold hosts and run nothing.</summary>
public sealed class HostSetTemplateRequestValidator : AbstractValidator<HostSetTemplateRequest>
{
    public HostSetTemplateRequestValidator()
    {
        RuleFor(t => t.Image).NotNull().WithMessage("an image is required: a host set provisions every host it holds")
            .SetValidator(new ImageRequestValidator()!);

        RuleFor(t => t.Labels).Custom(LabelRules.Validate);
        RuleFor(t => t.Labels).Must(l => l is null || !l.ContainsKey(HostSetSpec.OwnerLabel))
            .WithMessage($"'{HostSetSpec.OwnerLabel}' is set by the host set on its claims, not in the template");

        RuleFor(t => t.UserData).Must(ClaimRequestValidator.FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
        RuleFor(t => t.NetworkData).Must(ClaimRequestValidator.FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
        RuleFor(t => t.MetaData).Must(ClaimRequestValidator.FitsDataLimit).WithMessage($"must be at most {HostRequestValidator.MaxDataBytes} bytes");
    }
}
