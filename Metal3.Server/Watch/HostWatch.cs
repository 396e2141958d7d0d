using System.Globalization;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Api;
using Metal3.Server.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Watch;

/// <summary>
/// <c>GET /api/v1/hosts?watch=true[&amp;resourceVersion=N]</c>: Server-Sent Events. Without a resource version, the
/// matching hosts as ADDED events first (with the feed's current id), then every change as it happens. With one (or a
/// <c>Last-Event-ID</c> header), every host changed after that id, then live. 410 when that id has been pruned.
/// </summary>
public static class HostWatch
{
    private const int ListPage = 1000;

    public static async Task<Results<ProblemHttpResult, EmptyHttpResult>> RunAsync(
        HttpContext http, HostStore store, ChangeHub hub, IDbContextFactory<Metal3DbContext> dbFactory, WatchOptions options,
        HostListQuery query, long? resume, CancellationToken ct)
    {
        var filter = new WatchFilter(query.Labels, query.States);
        using var subscription = await hub.SubscribeAsync(ct);
        long floor = subscription.Floor;
        var session = new WatchSession(filter, listed: resume is null, after: Math.Max(resume ?? 0, floor));

        List<WatchEvent> initial;
        if (resume is long after)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var feed = new HostChangeFeed(db, SqliteWriteGate.Open);
            long? oldest = await feed.OldestIdAsync(ct);
            long newest = await feed.NewestIdAsync(ct) ?? 0;
            if ((oldest is { } o && after < o - 1) || after > newest)
            {
                return TypedResults.Problem(title: "Gone", statusCode: StatusCodes.Status410Gone, detail:
                    $"resourceVersion {after} is too old (changes up to {(oldest ?? 1) - 1} were pruned) or unknown; " +
                    "list the hosts again and watch from the list's resourceVersion");
            }
            initial = await ReplayAsync(db, feed, hub, after, floor, ct);
        }
        else
        {
            initial = await ListAsync(store, hub, query, floor, ct);
        }

        http.Response.ContentType = ServerSentEvents.ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.StartAsync(ct);
        try
        {
            await WriteAsync(http, initial.Select(e => session.Next(e, live: false)), ct);
            await StreamAsync(http, subscription, session, options.KeepAlive, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        return TypedResults.Empty;
    }

    /// <summary>Parses <c>resourceVersion</c>, or else the <c>Last-Event-ID</c> an EventSource sends when it reconnects.</summary>
    public static bool TryParseResume(string? resourceVersion, string? lastEventId, out long? resume)
    {
        resume = null;
        string? text = !string.IsNullOrEmpty(resourceVersion) ? resourceVersion : lastEventId;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            resume = n;
            return true;
        }
        return false;
    }

    private static async Task StreamAsync(HttpContext http, ChangeHub.Subscription subscription, WatchSession session,
        TimeSpan keepAlive, CancellationToken ct)
    {
        var events = subscription.Events;
        Task<bool>? waiting = null;
        while (true)
        {
            // One wait at a time, kept across keepalives: WaitToReadAsync takes nothing from the queue.
            waiting ??= events.WaitToReadAsync(ct).AsTask();
            if (await Task.WhenAny(waiting, Task.Delay(keepAlive, ct)) != waiting)
            {
                await http.Response.WriteAsync(ServerSentEvents.KeepAlive, ct);
                await http.Response.Body.FlushAsync(ct);
                continue;
            }
            bool more = await waiting;
            waiting = null;
            if (!more)
            {
                return; // fell behind: the client resumes from its last event id
            }
            var batch = new List<WatchEvent?>();
            while (batch.Count < 1000 && events.TryRead(out var e))
            {
                batch.Add(session.Next(e, live: true));
            }
            await WriteAsync(http, batch, ct);
        }
    }

    private static async Task WriteAsync(HttpContext http, IEnumerable<WatchEvent?> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            if (e is not null)
            {
                await http.Response.WriteAsync(ServerSentEvents.Event(e.Id, e.Type, e.Host.JsonFor(http.User.SeesUserData())), ct);
            }
        }
        await http.Response.Body.FlushAsync(ct);
    }

    /// <summary>Every matching host, as ADDED at the feed's id: a watcher that resumes from it gets what came after.</summary>
    private static async Task<List<WatchEvent>> ListAsync(HostStore store, ChangeHub hub, HostListQuery query, long floor, CancellationToken ct)
    {
        var events = new List<WatchEvent>();
        string? afterName = null;
        do
        {
            var (rows, last) = await store.ListAsync(query with { Limit = ListPage, AfterName = afterName }, ct);
            foreach (var host in rows)
            {
                var view = HostViews.From(host, hub.Json);
                hub.Remember(view);
                events.Add(new WatchEvent(floor, HostChangeTypes.Added, view));
            }
            afterName = last;
        }
        while (afterName is not null);
        return events;
    }

    /// <summary>
    /// Each host changed in (<paramref name="after"/>, <paramref name="floor"/>], once, as it is now. A host created in
    /// that span is ADDED whatever happened to it since (the watcher never heard of it), and one both created and
    /// deleted in it is not sent at all.
    /// </summary>
    private static async Task<List<WatchEvent>> ReplayAsync(
        Metal3DbContext db, HostChangeFeed feed, ChangeHub hub, long after, long floor, CancellationToken ct)
    {
        var changes = await feed.LastPerHostAsync(after, floor, ct);
        var created = await feed.AddedBetweenAsync(after, floor, ct);
        var hosts = new Dictionary<Guid, HostRecord>();
        foreach (var chunk in changes.Where(c => c.Type != HostChangeTypes.Deleted).Select(c => c.HostId).Chunk(1000))
        {
            foreach (var h in await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Id)).ToListAsync(ct))
            {
                hosts[h.Id] = h;
            }
        }
        var events = new List<WatchEvent>(changes.Count);
        foreach (var change in changes)
        {
            bool isNew = created.Contains(change.HostId);
            if (change.Type == HostChangeTypes.Deleted)
            {
                if (isNew)
                {
                    continue;
                }
                events.Add(new WatchEvent(change.Id, HostChangeTypes.Deleted, hub.LastSeen(change)));
            }
            else if (hosts.TryGetValue(change.HostId, out var host))
            {
                var view = HostViews.From(host, hub.Json);
                hub.Remember(view);
                events.Add(new WatchEvent(change.Id, isNew ? HostChangeTypes.Added : change.Type, view));
            }
        }
        return events;
    }
}
