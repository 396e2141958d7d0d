using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Server.Claims;

namespace Metal3.Server.HostSets;

/// <summary>Validates a host set (as created, or as a PATCH leaves it) and reports every bad field at once.</summary>
public sealed class HostSetRequestValidator : AbstractValidator<HostSetRequest>
{
    /// <summary>Claims are named <c>&lt;set&gt;-&lt;5 characters&gt;</c>, and a claim's name is a DNS-1123 label too.</summary>
    public const int MaxNameLength = HostName.MaxLength - 1 - HostSetClaimNames.SuffixLength;

    /// <summary>Far above any rack, and within what one pass of the loop looks at.</summary>
    public const int MaxReplicas = 1000;

    public HostSetRequestValidator()
    {
        RuleFor(s => s.Name)
            .NotEmpty().WithMessage("a name is required")
            .Must(n => HostName.IsValid(n) && n!.Length <= MaxNameLength).When(s => !string.IsNullOrEmpty(s.Name), ApplyConditionTo.CurrentValidator)
            .WithMessage($"must be a DNS-1123 label of at most {MaxNameLength} characters (its claims add a 6-character suffix): "
                + "lower-case letters, digits and '-', starting and ending with a letter or digit");

        RuleFor(s => s.Replicas).InclusiveBetween(0, MaxReplicas).When(s => s.Replicas is not null)
            .WithMessage($"must be between 0 and {MaxReplicas}");

        RuleFor(s => s.LabelSelector).Custom((selector, context) =>
        {
            if (!ClaimSelectors.TryParse(selector, out _, out string? error))
            {
                context.AddFailure(error!);
            }
        });

        RuleFor(s => s.Hardware).SetValidator(new HardwareRequestValidator()!);

        RuleFor(s => s.Template).NotNull().WithMessage("a template with an image is required")
            .SetValidator(new HostSetTemplateRequestValidator()!);
    }
}
