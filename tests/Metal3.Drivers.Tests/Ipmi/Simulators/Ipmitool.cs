namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>Debian's ipmitool, for a second opinion on every state change the driver makes.</summary>
public static class Ipmitool
{
    public const string Program = "/usr/bin/ipmitool";

    public static async Task<string> RunAsync(SimulatedBmc bmc, params string[] command)
    {
        Run.Require(Program, "ipmitool");
        string[] args = ["-I", "lanplus", "-C", "3", "-N", "1", "-R", "3", "-H", "127.0.0.1", "-p", bmc.Port.ToString(),
            "-U", SimulatedBmc.User, "-P", SimulatedBmc.Password, .. command];
        var result = await Run.Async(Program, args, TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ipmitool {string.Join(' ', command)} failed ({result.ExitCode}): {result.Output}");
        }
        return result.Stdout + result.Stderr;
    }

    /// <summary>"Chassis Power is on" → true.</summary>
    public static async Task<bool> PowerIsOnAsync(SimulatedBmc bmc)
    {
        string output = await RunAsync(bmc, "chassis", "power", "status");
        return output.Contains("Chassis Power is on", StringComparison.Ordinal)
            ? true
            : output.Contains("Chassis Power is off", StringComparison.Ordinal)
                ? false
                : throw new InvalidOperationException($"unexpected ipmitool output: {output}");
    }

    /// <summary>The "Boot Device Selector" line of "chassis bootparam get 5", e.g. "Force PXE".</summary>
    public static async Task<string> BootDeviceSelectorAsync(SimulatedBmc bmc)
    {
        string output = await RunAsync(bmc, "chassis", "bootparam", "get", "5");
        string? line = output.Split('\n').FirstOrDefault(l => l.Contains("Boot Device Selector", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? throw new InvalidOperationException($"no boot device in ipmitool output: {output}");
    }
}
