namespace Metal3.Drivers.Redfish.Quirks;

/// <summary>Supermicro X11/X12 BMCs.</summary>
internal static class SupermicroQuirks
{
    public static bool Is(string? manufacturer) =>
        manufacturer?.Contains("Supermicro", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// On Supermicro the virtual CD is attached as a USB device and boots as <c>UsbCd</c> (the X12 SYS-510T-MR lists
    /// both); its <c>Cd</c> is a physical SATA drive. Elsewhere <c>UsbCd</c> stands in only when <c>Cd</c> is missing.
    /// </summary>
    public static string? CdTarget(string? manufacturer, IReadOnlyList<string>? allowedTargets)
    {
        bool usbCd = allowedTargets?.Contains("UsbCd", StringComparer.Ordinal) == true;
        bool cd = allowedTargets is null || allowedTargets.Contains("Cd", StringComparer.Ordinal);
        if (usbCd && (Is(manufacturer) || !cd)) return "UsbCd";
        return cd ? "Cd" : null;
    }

    /// <summary>
    /// X12 firmware (Redfish 1.14.0) lists <c>"GracefulShutdownGracefulRestart"</c> in
    /// <c>ResetType@Redfish.AllowableValues</c>: two names with the separator lost. Taken literally, the BMC would
    /// offer no graceful shutdown at all, so a value made of known names end to end is read as those names.
    /// </summary>
    public static IReadOnlyList<string> SplitRunTogetherValues(IReadOnlyList<string> values, IReadOnlyCollection<string> known)
    {
        var result = new List<string>();
        foreach (string value in values)
        {
            if (known.Contains(value) || Split(value, known) is not { } parts) result.Add(value);
            else result.AddRange(parts);
        }
        return result;
    }

    private static List<string>? Split(string value, IReadOnlyCollection<string> known)
    {
        if (value.Length == 0) return [];
        foreach (string name in known.Where(k => value.StartsWith(k, StringComparison.Ordinal)).OrderByDescending(k => k.Length))
        {
            if (Split(value[name.Length..], known) is { } rest) return [name, .. rest];
        }
        return null;
    }
}
