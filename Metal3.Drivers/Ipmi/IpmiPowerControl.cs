using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Session;

namespace Metal3.Drivers.Ipmi;

/// <summary>Power over IPMI: Get Chassis Status and Chassis Control. Every action is idempotent.</summary>
internal sealed class IpmiPowerControl(IpmiDriver driver, BmcTarget target) : IPowerControl
{
    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        driver.RunAsync(target, "get power state", (s, c) => GetPowerAsync(s, c), deadline, ct);

    public async Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) =>
        (await driver.RunAsync(target, $"power {action}", async (s, c) =>
        {
            PowerState now = await GetPowerAsync(s, c);
            if (Choose(action, now) is ChassisControlAction control)
            {
                await s.RequestOkAsync(NetFn.Chassis, Command.ChassisControl, ChassisCodec.ControlRequest(control), $"Chassis Control {control}", c);
            }
            return true;
        }, deadline, ct)).WithoutValue();

    /// <summary>
    /// What to send for an action given the current state; null when there is nothing to do ("on" when on). Reboot
    /// and power cycle of a machine that is off just power it on: that is where both end.
    /// </summary>
    internal static ChassisControlAction? Choose(PowerAction action, PowerState now) => (action, now) switch
    {
        (PowerAction.On, PowerState.On) => null,
        (PowerAction.On, PowerState.Off) => ChassisControlAction.PowerUp,
        (PowerAction.HardOff or PowerAction.SoftOff, PowerState.Off) => null,
        (PowerAction.HardOff, PowerState.On) => ChassisControlAction.PowerDown,
        (PowerAction.SoftOff, PowerState.On) => ChassisControlAction.SoftShutdown,
        (PowerAction.Reboot, PowerState.On) => ChassisControlAction.HardReset,
        (PowerAction.PowerCycle, PowerState.On) => ChassisControlAction.PowerCycle,
        (PowerAction.Reboot or PowerAction.PowerCycle, PowerState.Off) => ChassisControlAction.PowerUp,
        _ => null,
    };

    private static async Task<PowerState> GetPowerAsync(IpmiSession session, CancellationToken ct)
    {
        byte[] data = await session.RequestOkAsync(NetFn.Chassis, Command.GetChassisStatus, [], "Get Chassis Status", ct);
        return ChassisCodec.TryParseStatus(data, out PowerState power, out string error)
            ? power
            : throw new IpmiFailure(BmcOutcome.BmcError, error);
    }
}
