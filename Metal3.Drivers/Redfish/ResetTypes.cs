using Metal3.Core.Bmc;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// Which <c>ResetType</c> carries out a power action, in order of preference, chosen among what the BMC allows.
/// Only exact names from the spec are matched, so an unknown entry is never sent.
/// </summary>
internal static class ResetTypes
{
    /// <summary>Every ResetType in the spec (Resource.ResetType).</summary>
    public static readonly IReadOnlyCollection<string> All =
        ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PushPowerButton", "PowerCycle", "Suspend", "Pause", "Resume"];

    public const string On = "On";
    public const string ForceOn = "ForceOn";
    public const string ForceOff = "ForceOff";
    public const string GracefulShutdown = "GracefulShutdown";
    public const string ForceRestart = "ForceRestart";
    public const string GracefulRestart = "GracefulRestart";
    public const string PushPowerButton = "PushPowerButton";
    public const string PowerCycle = "PowerCycle";

    /// <summary>Preferences when the host is off (every action that ends "on" just powers it on).</summary>
    private static readonly string[] TurnOn = [On, ForceOn, PushPowerButton];

    public static IReadOnlyList<string> Preferences(PowerAction action) => action switch
    {
        PowerAction.On => TurnOn,
        PowerAction.HardOff => [ForceOff],
        // A momentary button press is an ACPI power-button event, the same request to the OS as GracefulShutdown.
        PowerAction.SoftOff => [GracefulShutdown, PushPowerButton],
        // Reboot means a hard reset; iLO and Intel lack PowerCycle, Intel lacks GracefulRestart.
        PowerAction.Reboot => [ForceRestart, PowerCycle],
        PowerAction.PowerCycle => [PowerCycle, ForceRestart],
        _ => [],
    };

    public static IReadOnlyList<string> WhenOff => TurnOn;

    /// <summary>The first preference the BMC allows; with no declared list, the first preference.</summary>
    public static string? Choose(IReadOnlyList<string> preferences, IReadOnlyList<string>? allowed) =>
        allowed is null
            ? preferences.FirstOrDefault()
            : preferences.FirstOrDefault(p => allowed.Contains(p, StringComparer.Ordinal));
}
