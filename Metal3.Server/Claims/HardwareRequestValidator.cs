using FluentValidation;
using Metal3.Contracts.Api;

namespace Metal3.Server.Claims;

public sealed class HardwareRequestValidator : AbstractValidator<HardwareRequest>
{
    /// <summary>Far above any machine, low enough that no arithmetic on it overflows (GiB to bytes).</summary>
    public const long MaxMinimum = 1L << 30;

    public HardwareRequestValidator()
    {
        RuleFor(h => h.MinCpus).InclusiveBetween(1, int.MaxValue).When(h => h.MinCpus is not null)
            .WithMessage("must be at least 1");
        RuleFor(h => h.MinMemoryMiB).InclusiveBetween(1, MaxMinimum).When(h => h.MinMemoryMiB is not null)
            .WithMessage($"must be between 1 and {MaxMinimum}");
        RuleFor(h => h.MinDiskGiB).InclusiveBetween(1, MaxMinimum).When(h => h.MinDiskGiB is not null)
            .WithMessage($"must be between 1 and {MaxMinimum}");
    }
}
