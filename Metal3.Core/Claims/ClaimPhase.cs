using System.Text.Json.Serialization;

namespace Metal3.Core.Claims;

/// <summary>Where a claim is on its way from "give me a machine like this" to holding one, and back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimPhase>))]
public enum ClaimPhase
{
    /// <summary>Waiting for a free host that matches; claims bind oldest first.</summary>
    [JsonStringEnumMemberName("Pending")] Pending,

    /// <summary>Holds a host (its consumerRef is <c>claim/&lt;name&gt;</c>); with an image, the host is being provisioned.</summary>
    [JsonStringEnumMemberName("Bound")] Bound,

    /// <summary>Holds a host that runs the claim's image.</summary>
    [JsonStringEnumMemberName("Provisioned")] Provisioned,

    /// <summary>Deleted: its host is deprovisioned and freed, then the claim goes.</summary>
    [JsonStringEnumMemberName("Releasing")] Releasing,
}
