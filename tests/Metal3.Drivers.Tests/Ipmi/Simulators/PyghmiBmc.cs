namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>
/// A BMC built on pyghmi.ipmi.bmc.Bmc (Debian's python3-pyghmi, run by Debian's /usr/bin/python3), an implementation
/// independent of ipmi_sim. Like the lab's pyghmi-bmc.py, it records power and boot device to files.
/// </summary>
public sealed class PyghmiBmc : SimulatedBmc
{
    public const string Python = "/usr/bin/python3";

    private PyghmiBmc() : base("pyghmi")
    {
    }

    public static async Task<PyghmiBmc> StartAsync()
    {
        Run.Require(Python, "python3");
        if (!File.Exists("/usr/lib/python3/dist-packages/pyghmi/ipmi/bmc.py"))
        {
            throw new InvalidOperationException("pyghmi is missing: install the Debian package 'python3-pyghmi' (see .ci/apt-packages)");
        }
        var bmc = new PyghmiBmc();
        try
        {
            await bmc.LaunchAsync();
            return bmc;
        }
        catch
        {
            await bmc.DisposeAsync();
            throw;
        }
    }

    public override bool? RecordedPowerOn => ReadState("power") is { } p ? p == "on" : null;
    public override string? RecordedBootDevice => ReadState("boot");

    public override async Task LaunchAsync()
    {
        string script = Path.Combine(Directory, "bmc.py");
        File.WriteAllText(script, $$"""
            import os, sys
            import pyghmi.ipmi.bmc as bmc

            D = '{{Directory}}'

            def record(name, value):
                with open(os.path.join(D, name), 'w') as f:
                    f.write(value)

            class TestBmc(bmc.Bmc):
                def __init__(self, authdata, port):
                    super().__init__(authdata, port=port, address='127.0.0.1')
                    self.powerstate, self.bootdev = 'off', 'default'
                def get_boot_device(self): return self.bootdev
                def set_boot_device(self, dev): self.bootdev = dev; record('boot', str(dev))
                def get_power_state(self): return self.powerstate
                def power_on(self): self.powerstate = 'on'; record('power', 'on')
                def power_off(self): self.powerstate = 'off'; record('power', 'off')
                def power_shutdown(self): self.power_off()
                def power_reset(self): record('reset', 'yes')
                def power_cycle(self): self.power_off(); self.power_on()

            TestBmc({'{{User}}': '{{Password}}'}, {{Port}}).listen()

            """);
        Process = SimProcess.Start(Python, $"-u '{script}'", LogPath);
        await SimProcess.WaitForBmcAsync(Port, Process, LogPath, TimeSpan.FromSeconds(15));
    }
}
