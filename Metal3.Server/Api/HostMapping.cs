using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data.Entities;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Api;

/// <summary>Between the wire shapes and the domain. Inputs are validated before they get here.</summary>
public static class HostMapping
{
    public static HostSpec ToSpec(this HostRequest r, string name)
    {
        MacAddress.TryNormalize(r.BootMacAddress, out string mac);
        return new HostSpec
        {
            Name = name,
            Labels = r.Labels ?? new Dictionary<string, string>(),
            Online = r.Online ?? false,
            BootMacAddress = r.BootMacAddress is null ? null : mac,
            BootMode = WireNames<BootMode>.ParseOrNull(r.BootMode) ?? BootMode.Uefi,
            Bmc = new BmcDetails
            {
                Address = r.Bmc!.Address!,
                Username = r.Bmc.Username,
                DisableCertificateVerification = r.Bmc.DisableCertificateVerification ?? false,
            },
            Image = r.Image is null ? null : new ImageSpec
            {
                Url = r.Image.Url!,
                Checksum = r.Image.Checksum!.ToLowerInvariant(),
                ChecksumType = WireNames<ChecksumType>.ParseOrNull(r.Image.ChecksumType) ?? ChecksumType.Auto,
                Format = WireNames<ImageFormat>.ParseOrNull(r.Image.Format),
            },
            RootDeviceHints = r.RootDeviceHints is null ? null : new RootDeviceHints
            {
                DeviceName = r.RootDeviceHints.DeviceName,
                Hctl = r.RootDeviceHints.Hctl,
                Model = r.RootDeviceHints.Model,
                Vendor = r.RootDeviceHints.Vendor,
                SerialNumber = r.RootDeviceHints.SerialNumber,
                Wwn = r.RootDeviceHints.Wwn,
                MinSizeGigabytes = r.RootDeviceHints.MinSizeGigabytes,
                Rotational = r.RootDeviceHints.Rotational,
            },
            UserData = r.UserData,
            NetworkData = r.NetworkData,
            MetaData = r.MetaData,
            AutomatedCleaningMode = WireNames<AutomatedCleaningMode>.ParseOrNull(r.AutomatedCleaningMode)
                ?? AutomatedCleaningMode.Metadata,
            ExternallyProvisioned = r.ExternallyProvisioned ?? false,
            ConsumerRef = r.ConsumerRef,
        };
    }

    public static HostResponse ToResponse(this HostRecord h) => h.ToHost().ToResponse();

    public static HostResponse ToResponse(this Host h) => new()
    {
        Name = h.Name,
        Labels = h.Spec.Labels,
        BootMacAddress = h.Spec.BootMacAddress,
        Bmc = new BmcResponse(h.Spec.Bmc.Address, h.Spec.Bmc.Username, h.ProtectedBmcPassword is not null,
            h.Spec.Bmc.DisableCertificateVerification),
        Online = h.Spec.Online,
        BootMode = h.Spec.BootMode,
        Image = h.Spec.Image,
        RootDeviceHints = h.Spec.RootDeviceHints,
        UserData = h.Spec.UserData,
        UserDataSet = h.Spec.UserData is not null,
        NetworkData = h.Spec.NetworkData,
        MetaData = h.Spec.MetaData,
        AutomatedCleaningMode = h.Spec.AutomatedCleaningMode,
        ExternallyProvisioned = h.Spec.ExternallyProvisioned,
        ConsumerRef = h.Spec.ConsumerRef,
        ResourceVersion = h.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CreatedAt = h.CreatedAt,
        DeletionRequestedAt = h.DeletionRequestedAt,
        Status = h.Status,
    };

    /// <summary>The spec as a merge patch sees it: the request shape, without the password.</summary>
    public static JsonObject ToPatchTarget(this Host h)
    {
        var response = h.ToResponse();
        var node = JsonSerializer.SerializeToNode(response, Metal3Json.Options)!.AsObject();
        foreach (string readOnly in new[] { "resourceVersion", "createdAt", "deletionRequestedAt", "status" })
        {
            node.Remove(readOnly);
        }
        node.Remove("userDataSet");
        node["bmc"]!.AsObject().Remove("credentialsSet");
        return node;
    }

    public static HostEventResponse ToResponse(this HostEventRecord e) =>
        new(e.Id, AsUtc(e.Time), e.Type, e.Reason, e.Message, e.FromState, e.ToState, e.Actor);

    private static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
