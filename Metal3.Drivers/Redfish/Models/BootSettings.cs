using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>
/// <c>ComputerSystem.Boot</c>. <see cref="HasMode"/> says whether the BMC shows a mode at all: iLO 5 on the XL675d
/// has none, so a read-back there cannot confirm one.
/// </summary>
internal sealed record BootSettings(
    string? Target,
    string? Enabled,
    string? Mode,
    bool HasMode,
    IReadOnlyList<string>? AllowedTargets,
    IReadOnlyList<string>? AllowedEnabled,
    IReadOnlyList<string>? AllowedModes)
{
    public static BootSettings From(JsonElement b) => new(
        b.Str("BootSourceOverrideTarget"),
        b.Str("BootSourceOverrideEnabled"),
        b.Str("BootSourceOverrideMode"),
        b.Has("BootSourceOverrideMode"),
        AllowedOrNull(b, "BootSourceOverrideTarget@Redfish.AllowableValues"),
        AllowedOrNull(b, "BootSourceOverrideEnabled@Redfish.AllowableValues"),
        AllowedOrNull(b, "BootSourceOverrideMode@Redfish.AllowableValues"));

    // An absent list means "not declared" (anything may work); an empty list is treated the same, since no BMC
    // really allows nothing.
    private static IReadOnlyList<string>? AllowedOrNull(JsonElement b, string name) =>
        b.Strings(name) is { Count: > 0 } list ? list : null;
}
