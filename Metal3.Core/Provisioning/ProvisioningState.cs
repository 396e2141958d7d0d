using System.Text.Json.Serialization;

namespace Metal3.Core.Provisioning;

/// <summary>The Metal3 provisioning states (baremetal-operator names, as the API shows them).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProvisioningState>))]
public enum ProvisioningState
{
    [JsonStringEnumMemberName("registering")] Registering,
    [JsonStringEnumMemberName("inspecting")] Inspecting,
    [JsonStringEnumMemberName("preparing")] Preparing,
    [JsonStringEnumMemberName("available")] Available,
    [JsonStringEnumMemberName("provisioning")] Provisioning,
    [JsonStringEnumMemberName("provisioned")] Provisioned,
    [JsonStringEnumMemberName("deprovisioning")] Deprovisioning,
    [JsonStringEnumMemberName("externally provisioned")] ExternallyProvisioned,
    [JsonStringEnumMemberName("deleting")] Deleting,
    [JsonStringEnumMemberName("powering off before delete")] PoweringOffBeforeDelete,
}
