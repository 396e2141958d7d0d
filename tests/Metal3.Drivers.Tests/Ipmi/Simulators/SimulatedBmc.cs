using System.Diagnostics;
using Metal3.Core.Bmc;

namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>A BMC simulator process on 127.0.0.1 that the test started and stops (by PID) when disposed.</summary>
public abstract class SimulatedBmc : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "password";

    protected SimulatedBmc(string name)
    {
        Name = name;
        Directory = System.IO.Directory.CreateTempSubdirectory($"metal3-{name}-").FullName;
        Port = FreePort.Udp();
    }

    public string Name { get; }
    public string Directory { get; }
    public int Port { get; }
    protected Process? Process { get; set; }
    protected string LogPath => Path.Combine(Directory, "sim.log");

    public BmcTarget Target(string password = Password) =>
        new(new BmcAddress(BmcDriverKind.Ipmi, "ipmi", "127.0.0.1", Port, "", "", false), new BmcCredentials(User, password), false);

    /// <summary>Stops the simulator (as if the BMC lost power).</summary>
    public void Stop()
    {
        SimProcess.Stop(Process);
        Process = null;
    }

    /// <summary>Starts the simulator process (again, after <see cref="Stop"/>) on the same port.</summary>
    public abstract Task LaunchAsync();

    /// <summary>Power as the simulator's own hook recorded it: what the BMC did, not what it reports.</summary>
    public abstract bool? RecordedPowerOn { get; }

    /// <summary>Boot device as the hook recorded it, in the simulator's words ("pxe", "network", "cd"...).</summary>
    public abstract string? RecordedBootDevice { get; }

    protected string? ReadState(string file)
    {
        string path = Path.Combine(Directory, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
