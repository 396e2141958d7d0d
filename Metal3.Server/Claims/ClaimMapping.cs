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
        // Normalised: the terms as parsed, so the stored selector reads the same however it was spaced.
        LabelSelector = string.Join(',', (r.LabelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        Hardware = r.Hardware is null || (r.Hardware.MinCpus, r.Hardware.MinMemoryMiB, r.Hardware.MinDiskGiB) == (null, null, null)
            ? null
            : new HardwareMinimums { MinCpus = r.Hardware.MinCpus, MinMemoryMiB = r.Hardware.MinMemoryMiB, MinDiskGiB = r.Hardware.MinDiskGiB },
        Image = r.Image is null ? null : new ImageSpec
        {
            Url = r.Image.Url!,
            Checksum = r.Image.Checksum!.ToLowerInvariant(),
            ChecksumType = WireNames<ChecksumType>.ParseOrNull(r.Image.ChecksumType) ?? ChecksumType.Auto,
            Format = WireNames<ImageFormat>.ParseOrNull(r.Image.Format),
        },
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
    };

    public static ClaimEventResponse ToResponse(this ClaimEventRecord e) =>
        new(e.Id, AsUtc(e.Time), e.Type, e.Reason, e.Message, e.HostName, e.Actor);

    private static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
