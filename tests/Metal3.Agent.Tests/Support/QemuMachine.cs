using System.Diagnostics;

namespace Metal3.Agent.Tests.Support;

/// <summary>
/// A QEMU machine booting the agent ramdisk directly (-kernel/-initrd), with user-mode networking: the guest reaches the
/// host's loopback at 10.0.2.2 and nothing else of the machine's networks. Software emulation (no KVM here).
/// </summary>
public sealed class QemuMachine : IDisposable
{
    private readonly Process _process;

    private QemuMachine(Process process, string serialLog)
    {
        _process = process;
        SerialLog = serialLog;
    }

    public string SerialLog { get; }

    public string Serial => File.Exists(SerialLog) ? File.ReadAllText(SerialLog) : "";

    /// <summary>One virtio NIC and one virtio disk.</summary>
    public static QemuMachine Start(string ramdisk, string disk, string mac, string kernelArgs) => Start(ramdisk, kernelArgs,
    [
        "-netdev", "user,id=n0", "-device", $"virtio-net-pci,netdev=n0,mac={mac}",
        "-drive", $"file={disk},format=raw,if=virtio,cache=writeback",
    ]);

    /// <summary>The NICs, controllers and disks <paramref name="devices"/> gives (QEMU options).</summary>
    public static QemuMachine Start(string ramdisk, string kernelArgs, IEnumerable<string> devices)
    {
        string log = Path.Combine(Path.GetTempPath(), $"metal3-agent-vm-{Guid.NewGuid():N}.serial");
        var (process, _) = Run.Start("qemu-system-x86_64",
        [
            "-machine", "q35,accel=tcg", "-cpu", "max", "-m", "1024", "-smp", "1",
            "-uuid", Guid.NewGuid().ToString(),
            "-display", "none", "-serial", $"file:{log}", "-monitor", "none", "-no-reboot",
            "-kernel", Path.Combine(ramdisk, "vmlinuz"), "-initrd", Path.Combine(ramdisk, "initramfs"),
            "-append", $"console=ttyS0 {kernelArgs}",
            .. devices,
        ]);
        return new QemuMachine(process, log);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
