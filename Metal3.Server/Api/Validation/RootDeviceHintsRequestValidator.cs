using FluentValidation;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

/// <summary>Ironic's root device hint types: strings, a /dev path, an H:C:T:L address, a size, a boolean.</summary>
public sealed partial class RootDeviceHintsRequestValidator : AbstractValidator<RootDeviceHintsRequest>
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d+:\d+:\d+:\d+$")]
    private static partial System.Text.RegularExpressions.Regex Hctl();

    public RootDeviceHintsRequestValidator()
    {
        RuleFor(h => h.DeviceName)
            .Must(d => d!.StartsWith("/dev/", StringComparison.Ordinal) && d.Length > 5 && !d.Contains(".."))
            .When(h => h.DeviceName is not null)
            .WithMessage("must be a device path under /dev/, such as /dev/sda or /dev/disk/by-path/…");
        RuleFor(h => h.Hctl)
            .Must(v => Hctl().IsMatch(v!)).When(h => h.Hctl is not null)
            .WithMessage("must be a SCSI address Host:Channel:Target:Lun, such as 0:0:0:0");
        RuleFor(h => h.MinSizeGigabytes)
            .GreaterThan(0).When(h => h.MinSizeGigabytes is not null)
            .WithMessage("must be a positive number of gigabytes");
        RuleFor(h => h.Model).NotEmpty().MaximumLength(255).When(h => h.Model is not null);
        RuleFor(h => h.Vendor).NotEmpty().MaximumLength(255).When(h => h.Vendor is not null);
        RuleFor(h => h.SerialNumber).NotEmpty().MaximumLength(255).When(h => h.SerialNumber is not null);
        RuleFor(h => h.Wwn).NotEmpty().MaximumLength(64).When(h => h.Wwn is not null);
    }
}
