using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Messages;

namespace Metal3.Drivers.Ipmi;

/// <summary>Next boot device over IPMI: the boot flags parameter of Set/Get System Boot Options.</summary>
internal sealed class IpmiBootDeviceControl(IpmiDriver driver, BmcTarget target) : IBootDeviceControl
{
    public async Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct)
    {
        if (BootOptionsCodec.SetBootFlagsRequest(boot) is not byte[] request)
        {
            return BmcResult.Fail(BmcOutcome.Unsupported, $"IPMI has no boot device selector for {boot.Device}");
        }
        return (await driver.RunAsync(target, $"set boot device {boot.Device}", async (s, c) =>
        {
            await s.RequestOkAsync(NetFn.Chassis, Command.SetSystemBootOptions, request, "Set System Boot Options (boot flags)", c);
            return true;
        }, deadline, ct)).WithoutValue();
    }

    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        GetAsync(deadline, ct);

    private async Task<BmcResult<BootOverride>> GetAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var result = await driver.RunAsync(target, "get boot device", async (s, c) =>
        {
            byte[] data = await s.RequestOkAsync(NetFn.Chassis, Command.GetSystemBootOptions, BootOptionsCodec.GetBootFlagsRequest(),
                "Get System Boot Options (boot flags)", c);
            return BootOptionsCodec.TryParseBootFlags(data, out BootOverride? boot, out string error)
                ? new Box(boot)
                : throw new IpmiFailure(BmcOutcome.BmcError, error);
        }, deadline, ct);
        if (!result.IsOk)
        {
            return result.WithoutValue();
        }
        // No override set: the BMC boots in its firmware's order, which is no device we could report (as Redfish).
        return result.Value.Boot is BootOverride b
            ? BmcResult<BootOverride>.Ok(b)
            : BmcResult.Fail(BmcOutcome.BmcError, "no boot override is set");
    }

    private sealed record Box(BootOverride? Boot);
}
