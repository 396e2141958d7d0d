using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Metal3.Data;
using Metal3.Data.Outages;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Watch;

/// <summary>
/// The one reader of the change feed in this daemon: every <see cref="WatchOptions.PollInterval"/> it reads the changes
/// above its floor (whichever daemon wrote them), loads the changed hosts once, and hands the events to every watcher
/// of this daemon. Watchers never query per tick.
/// </summary>
public sealed partial class ChangeHub(
    IDbContextFactory<Metal3DbContext> dbFactory,
    WatchOptions options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider time,
    DatabaseOutages outages,
    ILogger<ChangeHub> log) : BackgroundService
{
    private const int Batch = 1000;

    /// <summary>When the daemon starts, this many recent ids are read again in case some of them are still committing.</summary>
    private const int StartWindow = 1000;

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last host each deleted host was seen as, so a DELETED event carries the whole host.</summary>
    private readonly ConcurrentDictionary<Guid, HostView> _lastSeen = new();

    private ChangeFloor _reading = new(0, options.GapTimeout);

    /// <summary>Handed on to watchers up to here (under <see cref="_gate"/>).</summary>
    private long _published;

    public JsonSerializerOptions Json => json.Value.SerializerOptions;

    /// <summary>Every change at or below this id has been handed to the watchers (or can no longer appear).</summary>
    public async Task<long> FloorAsync(CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct);
        lock (_gate)
        {
            return _published;
        }
    }

    /// <summary>
    /// The id a listing made now reflects: the floor, moved up over the changes committed since the last poll as far as
    /// no id is missing (a missing id may still be committing; a watch from here then repeats a few changes, never
    /// misses one).
    /// </summary>
    public async Task<long> ListedAtAsync(CancellationToken ct)
    {
        long floor = await FloorAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (rows, horizon) = await new HostChangeFeed(db, SqliteWriteGate.Open).ReadAfterAsync(floor, Batch, ct);
        return new ChangeFloor(floor, options.GapTimeout).Advance(rows, horizon, time.GetUtcNow()).Next.Floor;
    }

    /// <summary>
    /// From now on, every change above the returned floor reaches <see cref="Subscription.Events"/>, in id order.
    /// Dispose the subscription to leave.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct);
        lock (_gate)
        {
            var s = new Subscription(this, _published, options.WatcherBuffer);
            _subscribers.Add(s);
            return s;
        }
    }

    /// <summary>Remembers a host a watcher loaded, for a later DELETED event.</summary>
    public void Remember(HostView host) =>
        _lastSeen.AddOrUpdate(host.HostId, host, (_, old) => old.ResourceVersion > host.ResourceVersion ? old : host);

    /// <summary>A deleted host as last seen here, or else its name and resource version.</summary>
    public HostView LastSeen(HostChangeRecord deleted) =>
        _lastSeen.TryGetValue(deleted.HostId, out var seen) ? seen : HostViews.Gone(deleted);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!_started.Task.IsCompleted)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                long newest = await new HostChangeFeed(db, SqliteWriteGate.Open).NewestIdAsync(stoppingToken) ?? 0;
                _reading = new ChangeFloor(Math.Max(0, newest - StartWindow), options.GapTimeout);
                _published = _reading.Floor;
                await PollAsync(stoppingToken);
                _started.TrySetResult();
            }
            catch (Exception e) when (outages.Report(e, "the change feed"))
            {
                await Task.Delay(options.PollInterval * 4, time, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(log, e);
                await Task.Delay(options.PollInterval * 4, time, stoppingToken);
            }
        }
        using var timer = new PeriodicTimer(options.PollInterval, time);
        var pause = new RetryPause(options.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
                outages.Reachable();
                pause.Reset();
            }
            catch (Exception e) when (outages.Report(e, "the change feed"))
            {
                await Task.Delay(pause.Next(), time, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(log, e);
            }
        }
    }

    /// <summary>Reads and hands on what is ready; again at once while full batches come back.</summary>
    private async Task PollAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var feed = new HostChangeFeed(db, SqliteWriteGate.Open);
        while (true)
        {
            var (rows, horizon) = await feed.ReadAfterAsync(_reading.Floor, Batch, ct);
            var (next, ready) = _reading.Advance(rows, horizon, time.GetUtcNow());
            var events = ready.Count == 0 ? [] : await ResolveAsync(db, ready, ct);
            _reading = next;
            lock (_gate)
            {
                foreach (var s in _subscribers)
                {
                    s.Offer(events);
                }
                _published = _reading.Floor;
            }
            if (rows.Count < Batch || ready.Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One event per changed host (its last change here), with the host as it is now: a watcher wants the current state,
    /// and a host changed twice in one read is loaded once.
    /// </summary>
    private async Task<List<WatchEvent>> ResolveAsync(Metal3DbContext db, List<HostChangeRecord> ready, CancellationToken ct)
    {
        bool anyone;
        lock (_gate)
        {
            anyone = _subscribers.Count > 0;
        }
        var last = ready.GroupBy(c => c.HostId).Select(g => g.Last()).OrderBy(c => c.Id).ToList();
        // A host created and changed within one read is new to a watcher that resumed before it: ADDED, not the last
        // change's MODIFIED (a watcher that already has the host turns it back into MODIFIED in its session).
        var created = ready.Where(c => c.Type == HostChangeTypes.Added).GroupBy(c => c.HostId).ToDictionary(g => g.Key, g => g.First().Id);
        if (!anyone)
        {
            // Only a deleted host is forgotten. A watch that is between its list (which remembered the host) and its
            // subscription counts as no one yet; forgetting a changed host here would send it a bare DELETED later.
            foreach (var change in last.Where(c => c.Type == HostChangeTypes.Deleted))
            {
                _lastSeen.TryRemove(change.HostId, out _);
            }
            return [];
        }
        var ids = last.Where(c => c.Type != HostChangeTypes.Deleted).Select(c => c.HostId).ToList();
        var hosts = ids.Count == 0
            ? []
            : await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var events = new List<WatchEvent>(last.Count);
        foreach (var change in last)
        {
            if (change.Type == HostChangeTypes.Deleted)
            {
                var gone = _lastSeen.TryRemove(change.HostId, out var seen) ? seen : HostViews.Gone(change);
                events.Add(new WatchEvent(change.Id, HostChangeTypes.Deleted, gone));
            }
            else if (hosts.TryGetValue(change.HostId, out var host))
            {
                var view = HostViews.From(host, Json);
                Remember(view);
                // A watcher that knows nothing of the host (it listed before the host existed) is told ADDED by its session.
                events.Add(created.TryGetValue(change.HostId, out long addedAt)
                    ? new WatchEvent(change.Id, HostChangeTypes.Added, view, addedAt)
                    : new WatchEvent(change.Id, change.Type, view));
            }
            // Otherwise the host was removed since: its DELETED change follows.
        }
        return events;
    }

    private void Leave(Subscription s)
    {
        lock (_gate)
        {
            _subscribers.Remove(s);
        }
    }

    /// <summary>One watcher's queue of events.</summary>
    public sealed class Subscription(ChangeHub hub, long floor, int capacity) : IDisposable
    {
        private readonly Channel<WatchEvent> _events = Channel.CreateBounded<WatchEvent>(
            new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        /// <summary>Every change above this id reaches <see cref="Events"/>.</summary>
        public long Floor => floor;

        public ChannelReader<WatchEvent> Events => _events.Reader;

        /// <summary>True when the watcher fell too far behind and its queue was closed; it must resume from its last id.</summary>
        public bool Overflowed { get; private set; }

        internal void Offer(List<WatchEvent> batch)
        {
            foreach (var e in batch)
            {
                if (Overflowed)
                {
                    return;
                }
                if (!_events.Writer.TryWrite(e))
                {
                    Overflowed = true;
                    _events.Writer.TryComplete();
                }
            }
        }

        public void Dispose() => hub.Leave(this);
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Reading the host change feed failed; retrying")]
    private static partial void LogPollFailed(ILogger log, Exception e);
}
