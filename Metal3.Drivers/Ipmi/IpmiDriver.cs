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
    private readonly IpmiOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly IpmiTransport transport;
    private readonly ConcurrentDictionary<IPEndPoint, IpmiBmc> bmcs = new();
    private readonly SemaphoreSlim inFlight;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task keepAlive;

    public IpmiDriver(IpmiOptions? options = null, ILogger<IpmiDriver>? logger = null, TimeProvider? time = null)
    {
        this.options = options ?? new IpmiOptions();
        this.time = time ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        transport = new IpmiTransport(this.logger);
        inFlight = new SemaphoreSlim(this.options.MaxConcurrency, this.options.MaxConcurrency);
        keepAlive = Task.Run(KeepAliveLoopAsync);
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
        TimeSpan budget = deadline - time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            return BmcResult<bool>.Fail(BmcOutcome.Unreachable, "ping: the deadline had passed before the call");
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping.Token);
        cts.CancelAfter(budget);
        try
        {
            IPEndPoint endpoint = await ResolveAsync(address, cts.Token);
            IpmiBmc bmc = bmcs.GetOrAdd(endpoint, ep => new IpmiBmc(transport, ep, options, time, logger));
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
        TimeSpan budget = deadline - time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            return BmcResult<T>.Fail(BmcOutcome.Unreachable, $"{what}: the deadline had passed before the call");
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping.Token);
        cts.CancelAfter(budget);
        bool holding = false;
        try
        {
            IPEndPoint endpoint = await ResolveAsync(target.Address, cts.Token);
            IpmiBmc bmc = bmcs.GetOrAdd(endpoint, ep => new IpmiBmc(transport, ep, options, time, logger));
            await inFlight.WaitAsync(cts.Token);
            holding = true;
            T value = await bmc.RunAsync(target.Credentials, operation, cts.Token);
            return BmcResult<T>.Ok(value);
        }
        catch (IpmiFailure f)
        {
            if (f.Outcome == BmcOutcome.WrongCredentials)
            {
                IpmiLog.Refused(logger, $"{target.Address.Host}:{target.Address.Port}", f.Message);
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
                inFlight.Release();
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
        TimeSpan period = options.KeepAliveInterval / 2 > TimeSpan.FromSeconds(1) ? options.KeepAliveInterval / 2 : TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                foreach (IpmiBmc bmc in bmcs.Values)
                {
                    using var one = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                    one.CancelAfter(options.RetransmitTimeout * options.MaxAttempts);
                    try
                    {
                        await bmc.KeepAliveAsync(one.Token);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
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
    private int disposed;

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once per registration it is reachable by (the driver and IBmcDriver).
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        using (var closing = new CancellationTokenSource(options.RetransmitTimeout * 2))
        {
            try
            {
                await Task.WhenAll(bmcs.Values.Select(b => b.CloseAsync(closing.Token)));
            }
            catch (OperationCanceledException)
            {
            }
        }
        stopping.Cancel();
        try
        {
            await keepAlive;
        }
        catch (OperationCanceledException)
        {
        }
        await transport.DisposeAsync();
        stopping.Dispose();
        inFlight.Dispose();
    }
}
