using FluentValidation;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

/// <summary>Validates a whole host spec and reports every bad field at once.</summary>
public sealed class HostRequestValidator : AbstractValidator<HostRequest>
{
    /// <summary>Root context key: true when the host already has a stored BMC password (PUT/PATCH may omit it).</summary>
    public const string PasswordStored = "passwordStored";

    /// <summary>Cloud-init data is carried on a config drive; 64 KiB is what Nova allows for user data.</summary>
    public const int MaxDataBytes = 64 * 1024;

    /// <param name="drivers">The BMC drivers this daemon has; each judges the addresses and credentials it serves.</param>
    public HostRequestValidator(IEnumerable<BmcDriverDescriptor> drivers)
    {
        RuleFor(h => h.Name)
            .NotEmpty().WithMessage("a name is required")
            .Must(HostName.IsValid).When(h => !string.IsNullOrEmpty(h.Name), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be a DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit");

        RuleFor(h => h.Labels).Custom(LabelRules.Validate);

        RuleFor(h => h.BootMacAddress)
            .Must(mac => MacAddress.TryNormalize(mac, out _))
            .When(h => h.BootMacAddress is not null)
            .WithMessage("must be a MAC address such as 52:54:00:12:34:56 (':' or '-' separators)");

        RuleFor(h => h.BootMode)
            .Must(m => WireNames<BootMode>.TryParse(m, out _))
            .When(h => h.BootMode is not null)
            .WithMessage($"must be one of {WireNames<BootMode>.Expected}");

        RuleFor(h => h.AutomatedCleaningMode)
            .Must(m => WireNames<AutomatedCleaningMode>.TryParse(m, out _))
            .When(h => h.AutomatedCleaningMode is not null)
            .WithMessage($"must be one of {WireNames<AutomatedCleaningMode>.Expected}");

        RuleFor(h => h.Bmc)
            .NotNull().WithMessage("bmc is required: {\"address\": …, \"username\": …, \"password\": …}")
            .SetValidator(new BmcRequestValidator(drivers)!);

        RuleFor(h => h.Image).SetValidator(new ImageRequestValidator()!);
        RuleFor(h => h.RootDeviceHints).SetValidator(new RootDeviceHintsRequestValidator()!);

        RuleFor(h => h.UserData).Must(FitsDataLimit).WithMessage($"must be at most {MaxDataBytes} bytes");
        RuleFor(h => h.NetworkData).Must(FitsDataLimit).WithMessage($"must be at most {MaxDataBytes} bytes");
        RuleFor(h => h.MetaData).Must(FitsDataLimit).WithMessage($"must be at most {MaxDataBytes} bytes");

        RuleFor(h => h.ConsumerRef).MaximumLength(253).WithMessage("must be at most 253 characters");
    }

    private static bool FitsDataLimit(string? data) =>
        data is null || System.Text.Encoding.UTF8.GetByteCount(data) <= MaxDataBytes;
}
