using System.Runtime.InteropServices;
using Metal3.Agent.Inspection;
using Metal3.Agent.Protocol;
using Metal3.Contracts.Agent;

namespace Metal3.Agent;

/// <summary>
/// Look up, then heartbeat: each heartbeat reports the running command's progress and may bring the next command,
/// which runs beside the heartbeats. When the daemon ends the session (a power action, or the host moved on), stop the
/// running command and look up again later. While no host has our MACs (lookup 404), report the machine for discovery
/// every so often (as the daemon asks), and keep looking up: once an operator enrolls it, a lookup finds its host.
/// </summary>
public sealed class AgentLoop(
    AgentClient client, Commands commands, Action<string> log, string root = "/", TimeSpan? retryDelay = null,
    Func<CancellationToken, Task<string?>>? bmcAddress = null)
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _retryDelay = retryDelay ?? RetryDelay;
    private readonly Func<CancellationToken, Task<string?>> _bmcAddress = bmcAddress ?? new BmcAddressReader().ReadAsync;
    private DateTimeOffset _nextDiscoveryReport = DateTimeOffset.MinValue;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var hardware = new HardwareInspector(root).Inspect();
            AgentLookupResponse? session = null;
            try
            {
                // MACs only: the daemon takes the inventory as the inspect command's result, under the token.
                (session, string? refusal, bool unknown) =
                    await client.LookupAsync(new AgentLookupRequest(hardware.Nics.Select(n => n.Mac).ToList()), ct);
                if (session is null)
                {
                    log($"lookup refused: {refusal}");
                }
                if (unknown)
                {
                    await ReportDiscoveryAsync(hardware, ct);
                }
            }
            catch (HttpRequestException e)
            {
                log($"lookup failed: {e.Message}");
            }
            if (session is null)
            {
                await Task.Delay(_retryDelay, ct);
                continue;
            }
            _nextDiscoveryReport = DateTimeOffset.MinValue;
            log($"METAL3-AGENT session for host {session.HostName}");
            try
            {
                await HeartbeatAsync(session, ct);
            }
            catch (SessionEndedException e)
            {
                log($"session ended: {e.Message}");
            }
            await Task.Delay(_retryDelay, ct);
        }
    }

    /// <summary>
    /// No host has our MACs: tell discovery what this machine is, at the interval the daemon asks for (lookups go on every
    /// retry delay in between). The inventory goes to discovery only: a host's inventory comes from its inspect command.
    /// </summary>
    private async Task ReportDiscoveryAsync(Core.Hosts.HardwareDetails hardware, CancellationToken ct)
    {
        if (DateTimeOffset.UtcNow < _nextDiscoveryReport)
        {
            return;
        }
        var macs = hardware.Nics.Select(n => n.Mac).ToList();
        var (recorded, refusal) = await client.ReportDiscoveryAsync(new AgentDiscoveryReport(macs, hardware, await _bmcAddress(ct)), ct);
        if (recorded is null)
        {
            log($"discovery report refused: {refusal}");
            _nextDiscoveryReport = DateTimeOffset.UtcNow + _retryDelay * 6;
            return;
        }
        log($"METAL3-AGENT discovered as {recorded.Id}: waiting to be enrolled");
        _nextDiscoveryReport = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(1, recorded.ReportSeconds));
    }

    private async Task HeartbeatAsync(AgentLookupResponse session, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, session.HeartbeatSeconds));
        using var commandCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        (AgentCommand Command, Task<AgentCommandResult> Run)? running = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (running is { } r && r.Run.IsCompleted)
                {
                    var result = await r.Run;
                    log($"command {r.Command.Id} {r.Command.Kind}: {(result.Succeeded ? "succeeded" : "failed")} {result.Message}");
                    await ReportWithRetriesAsync(session, r.Command.Id, result, ct);
                    running = null;
                    if (result.Succeeded && r.Command.Kind is AgentCommandKinds.Reboot or AgentCommandKinds.PowerOff)
                    {
                        PowerOff(r.Command.Kind == AgentCommandKinds.Reboot);
                    }
                }
                AgentHeartbeatResponse answer;
                try
                {
                    answer = await client.HeartbeatAsync(session,
                        new AgentHeartbeat(running?.Command.Id, commands.BytesWritten, commands.BytesTotal), ct);
                }
                catch (HttpRequestException e)
                {
                    log($"heartbeat failed: {e.Message}");
                    await Task.Delay(interval, ct);
                    continue;
                }
                if (answer.Command is { } command && running is null)
                {
                    log($"METAL3-AGENT command {command.Id} {command.Kind}");
                    running = (command, Task.Run(() => commands.RunAsync(command, commandCancel.Token), commandCancel.Token));
                }
                var tick = Task.Delay(interval, ct);
                await (running is { } now ? Task.WhenAny(tick, now.Run) : tick);
            }
        }
        finally
        {
            if (running is { } unfinished && !unfinished.Run.IsCompleted)
            {
                // The session ended under the command (the daemon power-cycled the host or moved on): stop it before
                // looking up again, so that the command handed out again to the next session is not a second writer on
                // the same disk.
                log($"stopping command {unfinished.Command.Id} {unfinished.Command.Kind}: its session ended");
                await commandCancel.CancelAsync();
                try
                {
                    await unfinished.Run;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task ReportWithRetriesAsync(AgentLookupResponse session, long id, AgentCommandResult result, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await client.ReportAsync(session, id, result, ct);
                return;
            }
            catch (HttpRequestException e) when (attempt < 30)
            {
                log($"reporting command {id} failed: {e.Message}");
                await Task.Delay(_retryDelay, ct);
            }
        }
    }

    /// <summary>reboot(2) after sync: the ramdisk has no init system to do it.</summary>
    private static void PowerOff(bool restart)
    {
        Sync();
        _ = Reboot(restart ? 0x01234567 : 0x4321FEDC); // LINUX_REBOOT_CMD_RESTART / _POWER_OFF
    }

    [DllImport("libc", EntryPoint = "sync")]
    private static extern void Sync();

    [DllImport("libc", EntryPoint = "reboot")]
    private static extern int Reboot(int cmd);
}
