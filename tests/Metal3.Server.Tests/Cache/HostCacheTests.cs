using System.Text;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Server.Cache;

namespace Metal3.Server.Tests.Cache;

/// <summary>The cache's own rules, without a daemon: the version rule, deletions, indexes and paging.</summary>
public sealed class HostCacheTests
{
    private readonly HostCache _cache = new(TimeProvider.System);

    [Fact]
    public void A_host_never_goes_back_to_an_older_version()
    {
        var id = Guid.CreateVersion7();
        _cache.Put(Host("h-1", id, version: 3));
        _cache.Put(Host("h-1", id, version: 2));

        Assert.Equal(3, _cache.Get("h-1")!.ResourceVersion);
        _cache.Put(Host("h-1", id, version: 4));
        Assert.Equal(4, _cache.Get("h-1")!.ResourceVersion);
    }

    [Fact]
    public void A_deleted_host_stays_deleted_when_a_late_copy_of_it_arrives()
    {
        var id = Guid.CreateVersion7();
        _cache.Put(Host("h-2", id, version: 1));
        _cache.Remove(id, "h-2");
        _cache.Put(Host("h-2", id, version: 2));

        Assert.Null(_cache.Get("h-2"));
        Assert.Empty(_cache.List(Query()).Items);
    }

    [Fact]
    public void A_host_enrolled_again_under_a_name_replaces_the_older_host_of_that_name_for_good()
    {
        var old = Guid.CreateVersion7();
        Thread.Sleep(2); // UUIDv7 orders by millisecond
        var again = Guid.CreateVersion7();
        _cache.Put(Host("h-3", again, version: 1));
        // The feed is behind: the old host's last change, then its deletion, arrive after the new host's write.
        _cache.Put(Host("h-3", old, version: 9));
        Assert.Equal(again, _cache.Get("h-3")!.Id);
        _cache.Remove(old, "h-3");
        Assert.Equal(again, _cache.Get("h-3")!.Id);
    }

    [Fact]
    public void Filters_pick_an_index_and_still_apply_every_term()
    {
        _cache.Put(Host("a", labels: new() { ["rack"] = "r1", ["role"] = "worker" }));
        _cache.Put(Host("b", labels: new() { ["rack"] = "r2", ["role"] = "worker" }, state: ProvisioningState.Provisioned));
        _cache.Put(Host("c", labels: new() { ["rack"] = "r1" }, state: ProvisioningState.Provisioned));

        Assert.Equal(["a", "c"], Names(Query(labels: [new("rack", "r1", false)])));
        Assert.Equal(["a"], Names(Query(labels: [new("rack", "r1", false), new("role", "worker", false)])));
        Assert.Equal(["b"], Names(Query(labels: [new("rack", "r1", true)])));
        Assert.Equal(["c"], Names(Query(labels: [new("role", null, true)], states: [ProvisioningState.Provisioned])));
        Assert.Equal(["b", "c"], Names(Query(states: [ProvisioningState.Provisioned])));
        Assert.Equal(["a", "b", "c"], Names(Query(states: [ProvisioningState.Provisioned, ProvisioningState.Registering])));
        Assert.Empty(Names(Query(labels: [new("rack", "r9", false)])));

        // A relabelled host leaves its old label's index.
        _cache.Put(Host("c", _cache.Get("c")!.Id, version: 2, labels: new() { ["rack"] = "r2" }));
        Assert.Equal(["a"], Names(Query(labels: [new("rack", "r1", false)])));
    }

    [Theory]
    [InlineData("~")]          // the bound itself
    [InlineData("\uffff\uffff")] // above any DNS-1123 name
    [InlineData("zzzz")]
    public void A_continue_token_after_every_name_gives_an_empty_last_page(string after)
    {
        _cache.Put(Host("zz"));
        var (items, last) = _cache.List(Query(after: after));
        Assert.Empty(items);
        Assert.Null(last);
    }

    [Fact]
    public async Task Pages_under_concurrent_inserts_and_deletes_neither_skip_nor_repeat_a_host_that_stayed()
    {
        var stayed = Enumerable.Range(0, 300).Select(i => $"stay-{i:D3}").ToList();
        foreach (string name in stayed)
        {
            _cache.Put(Host(name));
        }
        using var stop = new CancellationTokenSource();
        // Hosts come and go between every page, with names before, among and after the stable ones.
        var churn = Task.Run(() =>
        {
            var random = new Random(17);
            var live = new List<(Guid Id, string Name)>();
            while (!stop.IsCancellationRequested)
            {
                if (live.Count < 200 || random.Next(2) == 0)
                {
                    string name = $"{"amsz"[random.Next(4)]}{random.Next(100_000)}";
                    var id = Guid.CreateVersion7();
                    _cache.Put(Host(name, id));
                    live.Add((id, name));
                }
                else
                {
                    int at = random.Next(live.Count);
                    _cache.Remove(live[at].Id, live[at].Name);
                    live.RemoveAt(at);
                }
            }
        });

        var seen = new List<string>();
        string? after = null;
        int pages = 0;
        do
        {
            var (items, last) = _cache.List(Query(limit: 7, after: after));
            seen.AddRange(items.Select(h => h.Name));
            after = last;
            pages++;
            await Task.Yield();
        }
        while (after is not null);
        stop.Cancel();
        await churn;

        Assert.True(pages > 40);
        Assert.Equal(stayed, seen.Where(n => n.StartsWith("stay-", StringComparison.Ordinal)).ToList());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public void A_reader_gets_the_bytes_without_user_data()
    {
        var secret = new CachedHost(Guid.CreateVersion7(), "u", 1, ProvisioningState.Registering, new Dictionary<string, string>(),
            Encoding.UTF8.GetBytes("""{"userData":"x"}"""), Encoding.UTF8.GetBytes("""{"userData":null}"""));
        Assert.Equal("""{"userData":null}""", Encoding.UTF8.GetString(secret.JsonFor(admin: false)));
        Assert.Equal("""{"userData":"x"}""", Encoding.UTF8.GetString(secret.JsonFor(admin: true)));
    }

    private List<string> Names(HostListQuery query) => _cache.List(query).Items.Select(h => h.Name).ToList();

    private static HostListQuery Query(
        List<LabelRequirement>? labels = null, List<ProvisioningState>? states = null, int limit = 1000, string? after = null) =>
        new(labels ?? [], states ?? [], limit, after);

    private static CachedHost Host(string name, Guid? id = null, long version = 1, Dictionary<string, string>? labels = null,
        ProvisioningState state = ProvisioningState.Registering)
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","resourceVersion":"{{version}}"}""");
        return new CachedHost(id ?? Guid.CreateVersion7(), name, version, state, labels ?? [], json, json);
    }
}
