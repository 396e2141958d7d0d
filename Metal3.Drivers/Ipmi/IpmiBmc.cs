using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Session;
using Metal3.Drivers.Ipmi.Transport;

namespace Metal3.Drivers.Ipmi;

/// <summary>
/// One BMC endpoint: its lock (two operations never interleave on one session) and its session, kept open between
/// operations and re-established when it has expired.
/// </summary>
internal sealed class IpmiBmc(IpmiTransport transport, IPEndPoint endpoint, IpmiOptions options, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IpmiExchange _exchange = new(transport, endpoint, options, logger);
    private IpmiSession? _session;

    public IPEndPoint Endpoint => endpoint;

    /// <summary>
    /// Runs <paramref name="operation"/> in a session with these credentials, under the BMC's lock. A reused session
    /// that no longer answers (expired, BMC rebooted) is dropped and the operation retried once in a new one.
    /// </summary>
    public async Task<T> RunAsync<T>(BmcCredentials credentials, Func<IpmiSession, CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                bool reused = _session is { IsOpen: true } && _session.Credentials == credentials;
                IpmiSession current = reused ? _session! : await OpenAsync(credentials, ct);
                try
                {
                    return await operation(current, ct);
                }
                catch (IpmiFailure f) when (reused && attempt == 0 && f.Outcome == BmcOutcome.Unreachable)
                {
                    IpmiLog.SessionDropped(logger, endpoint, $"reused session stopped answering: {f.Message}");
                    current.Abandon();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IpmiSession> OpenAsync(BmcCredentials credentials, CancellationToken ct)
    {
        if (_session is { IsOpen: true })
        {
            await _session.CloseAsync(ct); // other credentials: free the BMC's session slot first
        }
        _session = null;
        var fresh = new IpmiSession(_exchange, credentials, options, time, logger);
        await fresh.OpenAsync(ct);
        _session = fresh;
        return fresh;
    }

    /// <summary>
    /// RMCP/ASF presence ping (ASF 2.0 §3.2.4.3): is anything speaking RMCP there, and does it claim IPMI? Needs no
    /// credentials and no session; pyghmi does not answer it, ipmi_sim does.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            byte tag = (byte)Random.Shared.Next(256);
            var ping = new byte[Rmcp.AsfPing.PingLength];
            Rmcp.AsfPing.WritePing(ping, tag);
            var pong = await _exchange.RunAsync(
                "ASF presence ping",
                () => ping,
                d => Rmcp.AsfPing.TryParsePong(d, out byte got, out bool ipmi, out string why)
                    ? got == tag ? Verdict<StrongBox<bool>>.Accept(new StrongBox<bool>(ipmi)) : Verdict<StrongBox<bool>>.Drop("pong for another ping")
                    : Verdict<StrongBox<bool>>.Drop(why),
                ct);
            return pong.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Keeps an idle session alive with Get Device ID, or closes it when nobody has used it for a long time. Skips the
    /// BMC when an operation holds its lock: that operation keeps the session alive itself.
    /// </summary>
    public async Task KeepAliveAsync(CancellationToken ct)
    {
        if (!await _gate.WaitAsync(0, ct))
        {
            return;
        }
        try
        {
            if (_session is not { IsOpen: true } s)
            {
                return;
            }
            TimeSpan idle = time.GetUtcNow() - s.LastUsed;
            if (idle >= options.IdleSessionLifetime)
            {
                await s.CloseAsync(ct);
                IpmiLog.SessionDropped(logger, endpoint, "idle");
                _session = null;
            }
            else if (idle >= options.KeepAliveInterval)
            {
                try
                {
                    await s.RequestAsync(NetFn.App, Command.GetDeviceId, [], ct);
                }
                catch (IpmiFailure f)
                {
                    IpmiLog.SessionDropped(logger, endpoint, $"keep-alive failed: {f.Message}");
                    s.Abandon();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the session on the BMC (at shutdown).</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_session is not null)
            {
                await _session.CloseAsync(ct);
                _session = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
