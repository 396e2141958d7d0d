using System.Security.Cryptography;
using System.Text;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Drivers.Fake;

/// <summary>
/// A simulated deploy agent for fake:// hosts (demos, tests, benchmarks; nothing is written anywhere). A command
/// finishes <see cref="FakeOptions.Delay"/> after it started (at once with no delay), judged from the start time saved
/// with the host, so a restarted daemon sees the same progress.
/// </summary>
public sealed class FakeAgent(string id, FakeOptions options) : IDeployAgent
{
    /// <summary>What the simulated deploy pretends to write, for progress reports.</summary>
    public const long SimulatedImageBytes = 1L << 30;

    public Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) =>
        Task.FromResult(options.Delay == TimeSpan.Zero ? Finish(host, operation) : new AgentProgress.Running(0, Total(operation)));

    public Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct)
    {
        var elapsed = host.Now - operation.StartedAt;
        if (elapsed < options.Delay)
        {
            long? total = Total(operation);
            long? written = total is { } t ? (long)(t * (elapsed / options.Delay)) : null;
            return Task.FromResult<AgentProgress>(new AgentProgress.Running(written, total));
        }
        return Task.FromResult(Finish(host, operation));
    }

    private AgentProgress Finish(HostSnapshot host, HostOperation operation) => operation.Kind switch
    {
        OperationKind.Inspect when options.Fails("inspect") => new AgentProgress.Failed("simulated: inspection failed"),
        OperationKind.Deploy when options.Fails("provision") => new AgentProgress.Failed("simulated: writing the image failed"),
        OperationKind.Clean when options.Fails("clean") => new AgentProgress.Failed("simulated: erasing the disks failed"),
        OperationKind.Inspect => new AgentProgress.Succeeded(Hardware(host)),
        _ => new AgentProgress.Succeeded(),
    };

    private static long? Total(HostOperation operation) => operation.Kind == OperationKind.Deploy ? SimulatedImageBytes : null;

    /// <summary>Plausible hardware, the same every time for one ID.</summary>
    private HardwareDetails Hardware(HostSnapshot host)
    {
        byte[] h = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        string mac = host.Spec.BootMacAddress ?? $"02:00:{h[0]:x2}:{h[1]:x2}:{h[2]:x2}:{h[3]:x2}";
        return new HardwareDetails
        {
            Cpu = new CpuDetails { Arch = "x86_64", Model = "Simulated CPU @ 2.40GHz", Count = 8 << (h[4] % 4), ClockMegahertz = 2400 },
            RamMebibytes = 32768L << (h[5] % 3),
            Storage =
            [
                new StorageDevice { Name = "/dev/sda", SizeBytes = 480L * 1000 * 1000 * 1000, Rotational = false, Model = "FAKE SSD",
                    SerialNumber = $"FAKE{h[6]:X2}{h[7]:X2}", Hctl = "0:0:0:0" },
                new StorageDevice { Name = "/dev/sdb", SizeBytes = 4L * 1000 * 1000 * 1000 * 1000, Rotational = true, Model = "FAKE HDD",
                    SerialNumber = $"FAKE{h[8]:X2}{h[9]:X2}", Hctl = "0:0:1:0" },
            ],
            Nics =
            [
                new NetworkInterface { Name = "eth0", Mac = mac, Link = true, SpeedGbps = 25, Driver = "fake" },
                new NetworkInterface { Name = "eth1", Mac = $"02:01:{h[10]:x2}:{h[11]:x2}:{h[12]:x2}:{h[13]:x2}", Link = false, Driver = "fake" },
            ],
            Firmware = new FirmwareDetails("metal3", "fake-1.0", "2026-01-01"),
            SystemVendor = new SystemVendor("metal3", "Simulated Server", $"SIM-{h[14]:X2}{h[15]:X2}{h[16]:X2}"),
        };
    }
}
