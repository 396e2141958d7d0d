namespace Metal3.Drivers.Redfish.Quirks;

/// <summary>Supermicro X11/X12 BMCs.</summary>
internal static class SupermicroQuirks
{
    /// <summary>
    /// Supermicro lists no <c>Cd</c> boot target: its virtual CD is a USB device and boots as <c>UsbCd</c>
    /// (seen in the X12 SYS-510T-MR fixtures). Use it when <c>Cd</c> is not allowed.
    /// </summary>
    public static string? CdTargetInstead(IReadOnlyList<string>? allowedTargets) =>
        allowedTargets?.Contains("UsbCd", StringComparer.Ordinal) == true ? "UsbCd" : null;
}
