using System.Globalization;
using Metal3.Contracts.Api;
using Metal3.Core.Claims;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data.Entities;

namespace Metal3.Server.Claims;

/// <summary>Between the wire shapes and the claim rows. Inputs are validated before they get here.</summary>
public static class ClaimMapping
{
    public static ClaimSpec ToSpec(this ClaimRequest r) => new()
    {
        Labels = r.Labels ?? new Dictionary<string, string>(),
        LabelSelector = NormalizeSelector(r.LabelSelector),
        Hardware = r.Hardware.ToMinimums(),
        Image = r.Image.ToImage(),
        UserData = r.UserData,
        NetworkData = r.NetworkData,
        MetaData = r.MetaData,
    };

    public static ClaimResponse ToResponse(this ClaimRecord c) => new()
    {
        Name = c.Name,
        Labels = c.Spec.Labels,
        LabelSelector = c.Spec.LabelSelector,
        Hardware = c.Spec.Hardware,
        Image = c.Spec.Image,
        UserData = c.Spec.UserData,
        UserDataSet = c.Spec.UserData is not null,
        NetworkData = c.Spec.NetworkData,
        MetaData = c.Spec.MetaData,
        ResourceVersion = c.ResourceVersion.ToString(CultureInfo.InvariantCulture),
        CreatedAt = AsUtc(c.CreatedAt),
        DeletionRequestedAt = c.DeletionRequestedAt is { } d ? AsUtc(d) : null,
        Status = new ClaimStatusResponse(c.Phase, c.HostName, c.Message),
        OwnerSet = c.HostSetName,
        TemplateHash = c.TemplateHash,
    };

    public static ClaimEventResponse ToResponse(this ClaimEventRecord e) =>
        new(e.Id, AsUtc(e.Time), e.Type, e.Reason, e.Message, e.HostName, e.Actor);

    public static HardwareMinimums? ToMinimums(this HardwareRequest? r) =>
        r is null || (r.MinCpus, r.MinMemoryMiB, r.MinDiskGiB) == (null, null, null)
            ? null
            : new HardwareMinimums { MinCpus = r.MinCpus, MinMemoryMiB = r.MinMemoryMiB, MinDiskGiB = r.MinDiskGiB };

    /// <summary>Normalised: the terms as parsed, so the stored selector reads the same however it was spaced.</summary>
    public static string NormalizeSelector(string? selector) =>
        string.Join(',', (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static ImageSpec? ToImage(this ImageRequest? r) => r is null ? null : new ImageSpec
    {
        Url = r.Url!,
        Checksum = r.Checksum!.ToLowerInvariant(),
        ChecksumType = WireNames<ChecksumType>.ParseOrNull(r.ChecksumType) ?? ChecksumType.Auto,
        Format = WireNames<ImageFormat>.ParseOrNull(r.Format),
    };

    internal static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
