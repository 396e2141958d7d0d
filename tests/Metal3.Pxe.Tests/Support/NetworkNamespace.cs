using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Metal3.Pxe.Tests.Support;

/// <summary>
/// A lab network the test owns: namespace "&lt;name&gt;" with bridge br0 at 198.18.0.1/24, and a second namespace
/// "&lt;name&gt;-c" for clients, joined by veth pairs. Everything DHCP happens in here (DESIGN.md, "Safety in tests");
/// <see cref="Dispose"/> kills the processes it started (by PID) and deletes both namespaces even when the test failed.
/// </summary>
public sealed partial class NetworkNamespace : IDisposable
{
    public const string ServerAddress = "198.18.0.1";
    private readonly List<Process> _processes = [];
    private int _veths;

    public string Name { get; }
    public string Clients => Name + "-c";

    private NetworkNamespace(string name) => Name = name;

    public static NetworkNamespace Create()
    {
        Run.Require("ip", "iproute2");
        var ns = new NetworkNamespace("m3pxe" + Environment.ProcessId % 10000 + "x" + Random.Shared.Next(100000));
        try
        {
            ns.Ip($"netns add {ns.Name}");
            ns.Ip($"netns add {ns.Clients}");
            ns.Ip($"-n {ns.Name} link set lo up");
            ns.Ip($"-n {ns.Clients} link set lo up");
            ns.Ip($"-n {ns.Name} link add br0 type bridge stp_state 0 forward_delay 0");
            ns.Ip($"-n {ns.Name} addr add {ServerAddress}/24 dev br0");
            ns.Ip($"-n {ns.Name} link set br0 up");
            ns.OneHostPerInterfaceInClients();
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Adds a client interface (in the client namespace) on the bridge; returns its name there.</summary>
    public string AddClient(string mac, string? address = null)
    {
        int i = _veths++;
        string inside = "eth" + i;
        Ip($"-n {Name} link add v{i} type veth peer name {inside} netns {Clients}");
        Ip($"-n {Name} link set v{i} master br0 up");
        Ip($"-n {Clients} link set {inside} address {mac}");
        if (address is not null)
        {
            Ip($"-n {Clients} addr add {address} dev {inside}");
        }
        Ip($"-n {Clients} link set {inside} up");
        return inside;
    }

    /// <summary>
    /// The client namespace holds several interfaces on one bridge, each standing for a machine of its own. Left to
    /// Linux's defaults, every one of them answers ARP for every address of the namespace, so the server's ARP cache can
    /// send a reply for 198.18.0.2 to a DHCP test's interface instead (a transfer then times out, now and then). Only the
    /// interface that holds an address answers for it, as on separate machines.
    /// </summary>
    private void OneHostPerInterfaceInClients()
    {
        var result = Run.Sync("ip", ["netns", "exec", Clients, "sh", "-c",
            "echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore && echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce"], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"setting arp_ignore in {Clients}: {result.Stderr}");
        }
    }

    /// <summary>Adds a tap device on the bridge for a QEMU machine.</summary>
    public string AddTap()
    {
        string tap = "tap" + _veths++;
        Ip($"-n {Name} tuntap add dev {tap} mode tap");
        Ip($"-n {Name} link set {tap} master br0 up");
        return tap;
    }

    public void Ip(string args)
    {
        var result = Run.Sync("ip", args.Split(' ', StringSplitOptions.RemoveEmptyEntries), TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {args}: {result.Stderr}");
        }
    }

    /// <summary>Runs a command in the client namespace to completion (with a deadline).</summary>
    public Task<RunResult> InClients(TimeSpan deadline, params string[] command) =>
        Run.Async("ip", ["netns", "exec", Clients, .. command], deadline);

    /// <summary>Starts a long-running command in a namespace; it is killed by PID on dispose.</summary>
    public Process Start(string ns, string logFile, params string[] command)
    {
        var (p, _) = Run.Start("ip", ["netns", "exec", ns, .. command], logFile);
        lock (_processes)
        {
            _processes.Add(p);
        }
        return p;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a fresh thread switched into the server namespace with setns(2), so that
    /// sockets it creates live in that namespace (a socket keeps the namespace it was created in).
    /// </summary>
    public T Inside<T>(Func<T> action) => Inside(Name, action);

    /// <summary>As <see cref="Inside{T}(Func{T})"/>, in the named namespace (the server's or the clients').</summary>
    public static T Inside<T>(string ns, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using var self = File.OpenHandle("/proc/thread-self/ns/net");
            using var target = File.OpenHandle($"/var/run/netns/{ns}");
            if (SetNs(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            {
                failure = new InvalidOperationException("setns failed: " + Marshal.GetLastPInvokeError());
                return;
            }
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                // Back to where it came from; the thread ends here anyway.
                _ = SetNs(self.DangerousGetHandle().ToInt32(), CloneNewNet);
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure;
        }
        return result;
    }

    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var p in _processes)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                        p.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                }
                p.Dispose();
            }
        }
        foreach (var ns in new[] { Clients, Name })
        {
            try
            {
                Ip($"netns del {ns}");
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }
}
