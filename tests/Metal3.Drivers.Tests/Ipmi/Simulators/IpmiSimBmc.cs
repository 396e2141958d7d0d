namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>
/// OpenIPMI's ipmi_sim (Debian package openipmi), configured like the lab's bmc-sim.sh: one LAN channel on a loopback
/// port, one admin user, and a chassis_control hook (a shell script written here) that records power and boot device
/// to files in the simulator's directory. ipmi_sim runs "hook get power", "hook set power 1", "hook set boot pxe".
/// </summary>
public sealed class IpmiSimBmc : SimulatedBmc
{
    public const string Program = "/usr/bin/ipmi_sim";

    private IpmiSimBmc() : base("ipmi_sim")
    {
    }

    public static async Task<IpmiSimBmc> StartAsync()
    {
        Run.Require(Program, "openipmi");
        var bmc = new IpmiSimBmc();
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

    public override bool? RecordedPowerOn => ReadState("power") is { } p ? p == "1" : null;
    public override string? RecordedBootDevice => ReadState("boot");

    public override async Task LaunchAsync()
    {
        string hook = Path.Combine(Directory, "chassis.sh");
        File.WriteAllText(hook, $$"""
            #!/bin/sh
            # chassis_control hook: "get power|boot", "set power 0|1", "set reset 1", "set boot pxe|default|none|cdrom|bios"
            D='{{Directory}}'
            echo "$*" >> "$D/chassis.log"
            case $1 in get|set) ;; *) shift;; esac
            op=$1; shift
            case $op in
            get) for p in "$@"; do case $p in
                   power) echo "power:$(cat "$D/power" 2>/dev/null || echo 0)";;
                   boot) echo "boot:$(cat "$D/boot" 2>/dev/null || echo default)";;
                 esac; done;;
            set) while [ $# -ge 2 ]; do case $1 in
                   power) echo "$2" > "$D/power";;
                   reset) echo 1 > "$D/power";;
                   boot) echo "$2" > "$D/boot";;
                 esac; shift 2; done;;
            esac
            exit 0
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string lanConf = Path.Combine(Directory, "lan.conf");
        File.WriteAllText(lanConf, $"""
            name "metal3test"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 {Port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid 0123456789abcdef0123456789abcdef
              endlan
              chassis_control "{hook}"
              user 2 true  "{User}" "{Password}" admin 10 none md2 md5 straight

            """);
        string emu = Path.Combine(Directory, "bmc.emu");
        File.WriteAllText(emu, """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """);
        string state = Path.Combine(Directory, "state");
        System.IO.Directory.CreateDirectory(state);
        Process = SimProcess.Start(Program, $"-c '{lanConf}' -f '{emu}' -s '{state}' -n", LogPath);
        await SimProcess.WaitForBmcAsync(Port, Process, LogPath, TimeSpan.FromSeconds(15));
    }
}
