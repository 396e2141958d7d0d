using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Metal3.Pxe.Tests.Support;

namespace Metal3.E2E.Lab;

/// <summary>
/// One machine of the lab: a QEMU process on a tap of the lab bridge with a virtio disk and its serial console in a
/// file, behind its own BMC, an ipmi_sim inside the lab namespace (on the namespace's loopback, like a BMC network
/// apart from the provisioning network) whose chassis_control hook (lab/vm-chassis.sh) starts and stops QEMU.
/// </summary>
public sealed class LabMachine : IDisposable
{
    public const string BmcUser = "admin";
    public const string BmcPassword = "e2e-secret";

    private readonly NetworkNamespace _net;
    private Process? _bmc;

    private LabMachine(NetworkNamespace net, string name, string directory, string mac, Firmware firmware, int bmcPort)
    {
        _net = net;
        Name = name;
        Directory = directory;
        Mac = mac;
        Firmware = firmware;
        BmcPort = bmcPort;
    }

    public string Name { get; }
    public string Directory { get; }
    public string Mac { get; }
    public Firmware Firmware { get; }
    public int BmcPort { get; }
    public string BmcAddress => $"ipmi://127.0.0.1:{BmcPort}";
    public string DiskPath => Path.Combine(Directory, "disk.raw");
    public string SerialPath => Path.Combine(Directory, "serial.log");
    public string ChassisLog => Path.Combine(Directory, "chassis.log");

    /// <summary>QEMU's -m and -smp, so inspection can be checked against them.</summary>
    public const int MemoryMebibytes = 1024;
    public const int Cpus = 1;
    public const long DiskBytes = 4L << 30;

    public static async Task<LabMachine> StartAsync(NetworkNamespace net, string work, string name, string mac, Firmware firmware,
        string? initialDisk = null)
    {
        Run.Require("qemu-system-x86_64", "qemu-system-x86");
        Run.Require("ipmi_sim", "openipmi");
        Assert.True(firmware == Firmware.Bios || File.Exists("/usr/share/OVMF/OVMF_CODE_4M.fd"), "apt-get install ovmf");
        string dir = System.IO.Directory.CreateDirectory(Path.Combine(work, name)).FullName;
        int port = FreeUdpPortInside(net);
        var machine = new LabMachine(net, name, dir, mac, firmware, port);
        string tap = net.AddTap();
        if (initialDisk is not null)
        {
            File.Copy(initialDisk, machine.DiskPath);
        }
        // A sparse disk, big enough for the agent's "smallest disk of at least 4 GiB" rule.
        using (var disk = new FileStream(machine.DiskPath, FileMode.OpenOrCreate))
        {
            disk.SetLength(DiskBytes);
        }
        if (firmware == Firmware.Uefi)
        {
            File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", Path.Combine(dir, "vars.fd"));
        }
        File.WriteAllText(Path.Combine(dir, "vm.env"), $"""
            NS={net.Name}
            TAP={tap}
            MAC={mac}
            FW={firmware.ToString().ToLowerInvariant()}
            DISK={machine.DiskPath}
            MEM={MemoryMebibytes}
            CPUS={Cpus}
            UUID={Guid.NewGuid()}

            """);
        File.WriteAllText(Path.Combine(dir, "lan.conf"), $"""
            name "{name}"
            set_working_mc 0x20
              startlan 1
                addr 127.0.0.1 {port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid {Guid.NewGuid():N}
              endlan
              chassis_control "{DiskImage.Script("vm-chassis.sh")} {dir}"
              user 2 true  "{BmcUser}" "{BmcPassword}" admin 10 none md2 md5 straight

            """);
        File.WriteAllText(Path.Combine(dir, "bmc.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "state"));
        await machine.StartBmcAsync();
        return machine;
    }

    /// <summary>Starts (or starts again) the machine's BMC; its state directory keeps what it knew.</summary>
    public async Task StartBmcAsync()
    {
        _bmc = _net.Start(_net.Name, Path.Combine(Directory, "ipmi_sim.log"), "ipmi_sim", "-c", Path.Combine(Directory, "lan.conf"),
            "-f", Path.Combine(Directory, "bmc.emu"), "-s", Path.Combine(Directory, "state"), "-n");
        await WaitForBmcAsync(this, _bmc);
    }

    /// <summary>The BMC goes away (as a BMC that hangs or loses its network); the machine itself keeps running.</summary>
    public void StopBmc()
    {
        if (_bmc is { HasExited: false })
        {
            _bmc.Kill(entireProcessTree: true);
            _bmc.WaitForExit(5000);
        }
    }

    public string Serial => File.Exists(SerialPath) ? File.ReadAllText(SerialPath) : "";

    public bool Running => QemuPid() is { } pid && ProcessAlive(pid);

    /// <summary>ipmitool inside the lab namespace, as an operator would run it on the BMC network.</summary>
    public Task<RunResult> IpmitoolAsync(params string[] args) =>
        Run.Async("ip", ["netns", "exec", _net.Name, "ipmitool", "-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", BmcPort.ToString(),
            "-U", BmcUser, "-P", BmcPassword, .. args], TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        // The BMC process goes with the namespace's process list; QEMU daemonized itself, so it is killed by its pid file.
        if (QemuPid() is { } pid && ProcessAlive(pid))
        {
            using var qemu = Process.GetProcessById(pid);
            qemu.Kill();
            qemu.WaitForExit(5000);
        }
    }

    private int? QemuPid() =>
        File.Exists(Path.Combine(Directory, "qemu.pid")) && int.TryParse(File.ReadAllText(Path.Combine(Directory, "qemu.pid")).Trim(), out int pid)
            ? pid
            : null;

    private static bool ProcessAlive(int pid) => File.Exists($"/proc/{pid}/stat");

    private static int FreeUdpPortInside(NetworkNamespace net) => net.Inside(() =>
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    });

    private static async Task WaitForBmcAsync(LabMachine machine, Process bmc)
    {
        RunResult last = new(-1, "");
        await Eventually.Until(async () =>
        {
            Assert.False(bmc.HasExited, "ipmi_sim exited: " + File.ReadAllText(Path.Combine(machine.Directory, "ipmi_sim.log")));
            last = await machine.IpmitoolAsync("chassis", "power", "status");
            return last.ExitCode == 0;
        }, TimeSpan.FromSeconds(20), () => Task.FromResult($"the BMC of {machine.Name} to answer ipmitool: {last.Output}"),
            TimeSpan.FromMilliseconds(300));
    }
}
