using FluentValidation;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

public sealed class ImageRequestValidator : AbstractValidator<ImageRequest>
{
    public ImageRequestValidator()
    {
        RuleFor(i => i.Url)
            .NotEmpty().WithMessage("an image URL is required")
            .Must(BeHttpUrl).When(i => !string.IsNullOrEmpty(i.Url), ApplyConditionTo.CurrentValidator)
            .WithMessage("must be an absolute http:// or https:// URL");

        RuleFor(i => i.ChecksumType)
            .Must(t => WireNames<ChecksumType>.TryParse(t, out _))
            .When(i => i.ChecksumType is not null)
            .WithMessage($"must be one of {WireNames<ChecksumType>.Expected}");

        RuleFor(i => i.Format)
            .Must(f => WireNames<ImageFormat>.TryParse(f, out _))
            .When(i => i.Format is not null)
            .WithMessage($"must be one of {WireNames<ImageFormat>.Expected}");

        RuleFor(i => i.Checksum).Custom((checksum, context) =>
        {
            if (string.IsNullOrEmpty(checksum))
            {
                context.AddFailure("a checksum is required with an image");
                return;
            }
            if (!Checksums.IsHex(checksum))
            {
                context.AddFailure("must be a hexadecimal digest");
                return;
            }
            var type = WireNames<ChecksumType>.ParseOrNull(context.InstanceToValidate.ChecksumType) ?? ChecksumType.Auto;
            if (type == ChecksumType.Auto)
            {
                if (Checksums.Infer(checksum) is null)
                {
                    context.AddFailure($"a digest of {checksum.Length} hex digits is no md5 (32), sha256 (64) or sha512 (128)");
                }
            }
            else if (checksum.Length != Checksums.HexLength(type))
            {
                context.AddFailure(
                    $"a {WireNames<ChecksumType>.NameOf(type)} digest has {Checksums.HexLength(type)} hex digits, not {checksum.Length}");
            }
        });
    }

    private static bool BeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
