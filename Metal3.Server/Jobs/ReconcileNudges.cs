using System.Collections.Concurrent;
using System.Threading.Channels;
using Metal3.Data.Outages;

namespace Metal3.Server.Jobs;

/// <summary>
/// Reconcile requests, handed to Hangfire off the caller's thread: an API write answers as soon as its row is committed
/// instead of also waiting for the job storage, and a burst of writes to one host becomes one job. A request lost here
/// (process killed) costs nothing but time: the host is due again after the safety net and the sweep enqueues it.
/// </summary>
public sealed partial class ReconcileNudges(HangfireReconcileQueue hangfire, DatabaseOutages outages, ILogger<ReconcileNudges> log) : BackgroundService, IReconcileQueue
{
    private const int Pumps = 4;
    private readonly Channel<Guid> _pending = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();

    /// <summary>Requests not yet handed to Hangfire.</summary>
    public int Pending => _queued.Count;

    public void Enqueue(Guid hostId)
    {
        if (_queued.TryAdd(hostId, 0))
        {
            _pending.Writer.TryWrite(hostId);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Pumps).Select(_ => PumpAsync(stoppingToken)));

    private async Task PumpAsync(CancellationToken ct)
    {
        await foreach (var hostId in _pending.Reader.ReadAllAsync(ct))
        {
            _queued.TryRemove(hostId, out _);
            try
            {
                hangfire.Enqueue(hostId);
            }
            catch (Exception e) when (outages.Report(e, "the reconcile queue"))
            {
                // Lost, as the class says, at no cost: the host is due again and the sweep enqueues it once the database is back.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEnqueueFailed(log, e, hostId);
            }
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Could not enqueue a reconcile of {HostId}; the sweep will")]
    private static partial void LogEnqueueFailed(ILogger log, Exception e, Guid hostId);
}
