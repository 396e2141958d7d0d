using System.Text.Json;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Watch;

namespace Metal3.Server.Tests.Watch;

public sealed class ChangeFloorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static List<HostChangeRecord> Rows(params long[] ids) =>
        ids.Select(id => new HostChangeRecord { Id = id, HostName = "h", Type = HostChangeTypes.Modified }).ToList();

    [Fact]
    public void Consecutive_ids_are_handed_on_at_once()
    {
        var (next, ready) = new ChangeFloor(10, Timeout).Advance(Rows(11, 12, 13), new TransactionHorizon(100, 105), T0);
        Assert.Equal([11, 12, 13], ready.Select(r => r.Id));
        Assert.Equal(13, next.Floor);
    }

    [Fact]
    public void Without_a_horizon_sqlite_a_gap_is_final_at_once()
    {
        var (next, ready) = new ChangeFloor(10, Timeout).Advance(Rows(12, 15), horizon: null, T0);
        Assert.Equal([12, 15], ready.Select(r => r.Id));
        Assert.Equal(15, next.Floor);
    }

    [Fact]
    public void A_gap_holds_back_what_follows_until_every_transaction_running_when_it_was_seen_has_ended()
    {
        var floor = new ChangeFloor(10, Timeout);
        // Seen: 11 visible, 12 missing, 13 visible; transactions 100..104 may still run.
        (floor, var ready) = floor.Advance(Rows(11, 13), new TransactionHorizon(100, 105), T0);
        Assert.Equal([11], ready.Select(r => r.Id));
        Assert.Equal(11, floor.Floor);

        // Transaction 102 still runs: still held.
        (floor, ready) = floor.Advance(Rows(13), new TransactionHorizon(102, 110), T0.AddMilliseconds(250));
        Assert.Empty(ready);

        // 12 committed meanwhile: everything in order.
        (floor, ready) = floor.Advance(Rows(12, 13), new TransactionHorizon(103, 110), T0.AddMilliseconds(500));
        Assert.Equal([12, 13], ready.Select(r => r.Id));
        Assert.Equal(13, floor.Floor);
    }

    [Fact]
    public void A_gap_whose_writers_all_ended_is_skipped_on_the_next_read()
    {
        var floor = new ChangeFloor(10, Timeout);
        (floor, var ready) = floor.Advance(Rows(12), new TransactionHorizon(100, 105), T0);
        Assert.Empty(ready);
        // xmin 105: every transaction that could have held 11 has ended, and 11 is still not there (rolled back).
        (floor, ready) = floor.Advance(Rows(12), new TransactionHorizon(105, 106), T0.AddMilliseconds(250));
        Assert.Equal([12], ready.Select(r => r.Id));
    }

    [Fact]
    public void A_gap_is_never_skipped_on_the_read_that_first_sees_it()
    {
        var (_, ready) = new ChangeFloor(10, Timeout).Advance(Rows(12), new TransactionHorizon(200, 200), T0);
        Assert.Empty(ready);
    }

    [Fact]
    public void A_gap_held_by_a_stuck_transaction_is_skipped_after_the_timeout()
    {
        var floor = new ChangeFloor(10, Timeout);
        (floor, _) = floor.Advance(Rows(12), new TransactionHorizon(100, 105), T0);
        (floor, var ready) = floor.Advance(Rows(12), new TransactionHorizon(100, 120), T0 + Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(ready);
        (_, ready) = floor.Advance(Rows(12), new TransactionHorizon(100, 120), T0 + Timeout);
        Assert.Equal([12], ready.Select(r => r.Id));
    }

    [Fact]
    public void A_later_gap_is_judged_by_the_horizon_of_when_it_was_seen()
    {
        var floor = new ChangeFloor(10, Timeout);
        (floor, _) = floor.Advance(Rows(12), new TransactionHorizon(100, 105), T0);
        // 11 gone for good; 14 is new and 13 missing: 13 may have been taken after the first read, so it waits again.
        (floor, var ready) = floor.Advance(Rows(12, 14), new TransactionHorizon(105, 108), T0.AddMilliseconds(250));
        Assert.Equal([12], ready.Select(r => r.Id));
        (_, ready) = floor.Advance(Rows(14), new TransactionHorizon(108, 108), T0.AddMilliseconds(500));
        Assert.Equal([14], ready.Select(r => r.Id));
    }

    [Theory]
    [InlineData("10:20:10,14,15", 10UL, 20UL)]
    [InlineData("7:7:", 7UL, 7UL)]
    public void The_snapshot_text_of_PostgreSQL_parses(string text, ulong xmin, ulong xmax) =>
        Assert.Equal(new TransactionHorizon(xmin, xmax), TransactionHorizon.Parse(text));
}

public sealed class ServerSentEventsTests
{
    [Fact]
    public void An_event_is_id_event_and_one_data_line_then_a_blank_line() =>
        Assert.Equal(
            "id: 42\nevent: MODIFIED\ndata: {\"type\":\"MODIFIED\",\"object\":{\"name\":\"w-0\",\"resourceVersion\":\"7\"}}\n\n",
            ServerSentEvents.Event(42, "MODIFIED", """{"name":"w-0","resourceVersion":"7"}"""));

    [Fact]
    public void A_keepalive_is_a_comment() => Assert.Equal(": keepalive\n\n", ServerSentEvents.KeepAlive);

    [Fact]
    public void The_data_written_by_hand_is_the_contracts_watch_event()
    {
        // Clients (metal3ctl) read the data as HostWatchEventResponse; the daemon writes it around pre-serialized JSON.
        var host = new HostResponse
        {
            Name = "w-0",
            Labels = new Dictionary<string, string> { ["rack"] = "r1" },
            Bmc = new BmcResponse("fake://w-0", null, false, false),
            ResourceVersion = "7",
            Status = HostStatus.Initial(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        };
        string hostJson = JsonSerializer.Serialize(host, ApiJsonContext.Default.HostResponse);
        string data = ServerSentEvents.Event(42, "MODIFIED", hostJson).Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..];

        var read = JsonSerializer.Deserialize(data, ApiJsonContext.Default.HostWatchEventResponse)!;

        Assert.Equal("MODIFIED", read.Type);
        Assert.Equal(hostJson, JsonSerializer.Serialize(read.Object, ApiJsonContext.Default.HostResponse));
    }
}

public sealed class WatchSessionTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly WatchFilter Blue = new([new LabelRequirement("team", "blue", Negated: false)], []);
    private static readonly WatchFilter All = new([], []);

    private static WatchEvent E(long id, string type, long version, string team = "blue", Guid? host = null) =>
        new(id, type, new HostView(host ?? A, "h", version, new Dictionary<string, string> { ["team"] = team },
            ProvisioningState.Available, "{}"));

    [Fact]
    public void A_listed_host_is_not_sent_again_for_an_older_or_equal_version()
    {
        var s = new WatchSession(All, listed: true, after: 5);
        Assert.NotNull(s.Next(E(5, "ADDED", 3), live: false));
        Assert.Null(s.Next(E(6, "MODIFIED", 3), live: true));
        Assert.Equal("MODIFIED", s.Next(E(7, "MODIFIED", 4), live: true)!.Type);
    }

    [Fact]
    public void Live_events_at_or_below_the_resumed_id_are_dropped()
    {
        var s = new WatchSession(All, listed: false, after: 10);
        Assert.Null(s.Next(E(10, "MODIFIED", 3), live: true));
        Assert.NotNull(s.Next(E(11, "MODIFIED", 4), live: true));
    }

    [Fact]
    public void A_host_leaving_the_filter_is_DELETED_and_coming_back_is_ADDED()
    {
        var s = new WatchSession(Blue, listed: true, after: 0);
        Assert.Equal("ADDED", s.Next(E(1, "ADDED", 1), live: true)!.Type);
        Assert.Equal("DELETED", s.Next(E(2, "MODIFIED", 2, team: "red"), live: true)!.Type);
        Assert.Null(s.Next(E(3, "MODIFIED", 3, team: "red"), live: true));
        Assert.Equal("ADDED", s.Next(E(4, "MODIFIED", 4), live: true)!.Type);
    }

    [Fact]
    public void A_deletion_of_a_host_never_shown_is_not_sent_after_a_listing()
    {
        var s = new WatchSession(Blue, listed: true, after: 0);
        Assert.Null(s.Next(E(1, "DELETED", 2, team: "red"), live: true));
    }

    [Fact]
    public void A_name_used_again_by_a_new_host_starts_over()
    {
        var s = new WatchSession(All, listed: true, after: 0);
        Assert.NotNull(s.Next(E(1, "ADDED", 5), live: true));
        Assert.Equal("DELETED", s.Next(E(2, "DELETED", 6), live: true)!.Type);
        Assert.Equal("ADDED", s.Next(E(3, "ADDED", 1, host: Guid.NewGuid()), live: true)!.Type);
    }
}
