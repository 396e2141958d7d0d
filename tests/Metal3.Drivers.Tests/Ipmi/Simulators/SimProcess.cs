using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>Starting and stopping simulator processes, by PID, and waiting for them with deadlines.</summary>
internal static class SimProcess
{
    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Fails loudly when a program the tests need is not installed: these tests never skip.</summary>
    public static string Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install the Debian package '{package}' (see .ci/apt-packages)");
        }
        return path;
    }

    /// <summary>Starts a program with its output going to a log file (so no pipe can fill up and block it).</summary>
    public static Process Start(string program, string arguments, string log)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"exec {program} {arguments} >>'{log}' 2>&1"])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
    }

    public static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    /// <summary>Waits until something on the port answers Get Channel Authentication Capabilities.</summary>
    public static async Task WaitForBmcAsync(int port, Process process, string log, TimeSpan timeout)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] probe = SessionPacketCodec.WriteV15SessionLess(
            IpmiLanMessage.WriteRequest(NetFn.App, Command.GetChannelAuthenticationCapabilities, 1, [0x8E, 0x04]));
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the simulator exited at start: {File.ReadAllText(log)}");
            }
            await udp.SendAsync(probe, new IPEndPoint(IPAddress.Loopback, port));
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await udp.ReceiveAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new TimeoutException($"no BMC answered on 127.0.0.1:{port} within {timeout}: {File.ReadAllText(log)}");
    }

    /// <summary>Runs a short command to completion (with a deadline) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        using var cts = new CancellationTokenSource(timeout);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        Task<string> stderr = p.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}");
        }
        return (p.ExitCode, await stdout + await stderr);
    }
}
