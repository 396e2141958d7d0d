using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Session;
using Metal3.Drivers.Ipmi.Transport;

namespace Metal3.Drivers.Ipmi;

/// <summary>
/// The native IPMI v2.0 (RMCP+) driver for <c>ipmi://host[:port]</c>: one UDP socket for every BMC, one kept-open
/// session and one lock per BMC, and a daemon-wide cap on operations in flight. Power and boot device are
/// implemented; inventory and virtual media are not IPMI's to give.
/// </summary>
public sealed class IpmiDriver : IBmcDriver, IAsyncDisposable
{
    private readonly IpmiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IpmiTransport _transport;
    private readonly ConcurrentDictionary<IPEndPoint, IpmiBmc> _bmcs = new();
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _keepAlive;

    public IpmiDriver(IpmiOptions? options = null, ILogger<IpmiDriver>? logger = null, TimeProvider? time = null)
    {
        _options = options ?? new IpmiOptions();
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _transport = new IpmiTransport(_logger);
        _inFlight = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _keepAlive = Task.Run(KeepAliveLoopAsync);
    }

    public static readonly BmcDriverDescriptor Descriptor = new IpmiDescriptor();

    BmcDriverDescriptor IBmcDriver.Descriptor => Descriptor;

    public BmcConnection Connect(BmcTarget target) =>
        Descriptor.Connection(power: new IpmiPowerControl(this, target), boot: new IpmiBootDeviceControl(this, target));

    /// <summary>
    /// Sends an RMCP/ASF presence ping: Ok(true) when something answers and claims IPMI, Unreachable when nothing
    /// answers. No credentials are used. Not every BMC implements it (pyghmi does not).
    /// </summary>
    public async Task<BmcResult<bool>> PingAsync(BmcAddress address, DateTimeOffset deadline, CancellationToken ct)
    {
        TimeSpan budget = deadline - _time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            return BmcResult<bool>.Fail(BmcOutcome.Unreachable, "ping: the deadline had passed before the call");
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        cts.CancelAfter(budget);
        try
        {
            IPEndPoint endpoint = await ResolveAsync(address, cts.Token);
            IpmiBmc bmc = _bmcs.GetOrAdd(endpoint, ep => new IpmiBmc(_transport, ep, _options, _time, _logger));
            return BmcResult<bool>.Ok(await bmc.PingAsync(cts.Token));
        }
        catch (IpmiFailure f)
        {
            return BmcResult<bool>.Fail(f.Outcome, $"ping: {f.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return BmcResult<bool>.Fail(BmcOutcome.Unreachable, $"ping: no pong from {address.Host}:{address.Port} before the deadline");
        }
        catch (SocketException e)
        {
            return BmcResult<bool>.Fail(BmcOutcome.Unreachable, $"ping: cannot resolve {address.Host}: {e.SocketErrorCode}");
        }
    }

    /// <summary>
    /// Runs one operation against the target's BMC within the deadline and turns every way it can end into a
    /// <see cref="BmcResult{T}"/>. Throws only <see cref="OperationCanceledException"/>, when the caller cancels.
    /// </summary>
    internal async Task<BmcResult<T>> RunAsync<T>(
        BmcTarget target, string what, Func<IpmiSession, CancellationToken, Task<T>> operation, DateTimeOffset deadline, CancellationToken ct)
        where T : notnull
    {
        TimeSpan budget = deadline - _time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            return BmcResult<T>.Fail(BmcOutcome.Unreachable, $"{what}: the deadline had passed before the call");
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        cts.CancelAfter(budget);
        bool holding = false;
        try
        {
            IPEndPoint endpoint = await ResolveAsync(target.Address, cts.Token);
            IpmiBmc bmc = _bmcs.GetOrAdd(endpoint, ep => new IpmiBmc(_transport, ep, _options, _time, _logger));
            await _inFlight.WaitAsync(cts.Token);
            holding = true;
            T value = await bmc.RunAsync(target.Credentials, operation, cts.Token);
            return BmcResult<T>.Ok(value);
        }
        catch (IpmiFailure f)
        {
            if (f.Outcome == BmcOutcome.WrongCredentials)
            {
                IpmiLog.Refused(_logger, $"{target.Address.Host}:{target.Address.Port}", f.Message);
            }
            return BmcResult<T>.Fail(f.Outcome, $"{what}: {f.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return BmcResult<T>.Fail(BmcOutcome.Unreachable,
                $"{what}: no complete answer from {target.Address.Host}:{target.Address.Port} before the deadline");
        }
        catch (SocketException e)
        {
            return BmcResult<T>.Fail(BmcOutcome.Unreachable, $"{what}: cannot resolve {target.Address.Host}: {e.SocketErrorCode}");
        }
        finally
        {
            if (holding)
            {
                _inFlight.Release();
            }
        }
    }

    private static async Task<IPEndPoint> ResolveAsync(BmcAddress address, CancellationToken ct)
    {
        string host = address.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? ip))
        {
            return new IPEndPoint(ip, address.Port);
        }
        IPAddress[] found = await Dns.GetHostAddressesAsync(host, ct);
        IPAddress chosen = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
            ?? throw new IpmiFailure(BmcOutcome.Unreachable, $"{host} has no address");
        return new IPEndPoint(chosen, address.Port);
    }

    private async Task KeepAliveLoopAsync()
    {
        TimeSpan period = _options.KeepAliveInterval / 2 > TimeSpan.FromSeconds(1) ? _options.KeepAliveInterval / 2 : TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (IpmiBmc bmc in _bmcs.Values)
                {
                    using var one = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    one.CancelAfter(_options.RetransmitTimeout * _options.MaxAttempts);
                    try
                    {
                        await bmc.KeepAliveAsync(one.Token);
                    }
                    catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes every session on its BMC (best effort, bounded) and the socket.</summary>
    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once per registration it is reachable by (the driver and IBmcDriver).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        using (var closing = new CancellationTokenSource(_options.RetransmitTimeout * 2))
        {
            try
            {
                await Task.WhenAll(_bmcs.Values.Select(b => b.CloseAsync(closing.Token)));
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stopping.Cancel();
        try
        {
            await _keepAlive;
        }
        catch (OperationCanceledException)
        {
        }
        await _transport.DisposeAsync();
        _stopping.Dispose();
        _inFlight.Dispose();
    }
}
