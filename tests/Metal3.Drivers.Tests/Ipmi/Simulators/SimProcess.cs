using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>Starting and stopping simulator processes, by PID, and waiting for them with deadlines.</summary>
internal static class SimProcess
{
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
}
