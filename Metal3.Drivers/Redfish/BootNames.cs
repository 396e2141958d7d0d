using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Redfish.Quirks;

namespace Metal3.Drivers.Redfish;

/// <summary>Our boot vocabulary to the spec's <c>BootSourceOverrideTarget</c>/<c>Mode</c>/<c>Enabled</c> names and back.</summary>
internal static class BootNames
{
    public static string Target(BootDevice device) => device switch
    {
        BootDevice.Pxe => "Pxe",
        BootDevice.Disk => "Hdd",
        BootDevice.Cd => "Cd",
        BootDevice.BiosSetup => "BiosSetup",
        BootDevice.UefiHttp => "UefiHttp",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
    };

    /// <summary>The target to send: ours if allowed, a vendor's name for it where that differs, else null.</summary>
    public static string? AllowedTarget(BootDevice device, IReadOnlyList<string>? allowed, string? manufacturer)
    {
        if (device == BootDevice.Cd) return SupermicroQuirks.CdTarget(manufacturer, allowed);
        string name = Target(device);
        return allowed is null || allowed.Contains(name, StringComparer.Ordinal) ? name : null;
    }

    public static BootDevice? Device(string? target) => target switch
    {
        "Pxe" => BootDevice.Pxe,
        "Hdd" => BootDevice.Disk,
        "Cd" or "UsbCd" => BootDevice.Cd,
        "BiosSetup" => BootDevice.BiosSetup,
        "UefiHttp" => BootDevice.UefiHttp,
        _ => null,
    };

    // Secure boot is a UEFI boot as far as the override goes; enabling secure boot itself is a different resource.
    public static string Mode(BootMode mode) => mode == BootMode.Legacy ? "Legacy" : "UEFI";

    public static string Enabled(bool persistent) => persistent ? "Continuous" : "Once";
}
