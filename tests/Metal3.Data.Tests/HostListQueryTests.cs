using Metal3.Core.Provisioning;
using Metal3.Data.Tests.Support;

namespace Metal3.Data.Tests;

/// <summary>GET /hosts as the store answers it: label selectors, states and name-ordered pages.</summary>
public sealed class HostListQueryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothStores]
    public async Task Each_label_selector_form_selects_the_hosts_it_names(DatabaseProvider provider)
    {
        await using var db = await SeedAsync(provider);

        Assert.Equal(["a", "c"], await NamesAsync(db, Label("team", "blue")));
        // Kubernetes' meaning of key!=value: hosts without the key match too.
        Assert.Equal(["b", "d", "e"], await NamesAsync(db, Label("team", "blue", negated: true)));
        Assert.Equal(["a", "b", "c"], await NamesAsync(db, Label("team")));
        Assert.Equal(["d", "e"], await NamesAsync(db, Label("team", negated: true)));
        Assert.Empty(await NamesAsync(db, Label("team", "green")));
    }

    [Theory, BothStores]
    public async Task Label_requirements_and_states_all_have_to_hold(DatabaseProvider provider)
    {
        await using var db = await SeedAsync(provider);
        foreach (string name in new[] { "b", "c" })
        {
            var row = await db.NewStore().FindReadOnlyAsync(name, None);
            Assert.Equal(WriteOutcome.Saved, await db.ReconcileToAsync(row!.Id, ProvisioningState.Available));
        }

        Assert.Equal(["a"], await NamesAsync(db, Label("team", "blue"), Label("rack", "r1")));
        Assert.Equal(["b", "c"], await NamesAsync(db, [], [ProvisioningState.Available]));
        Assert.Equal(["c"], await NamesAsync(db, [Label("team", "blue")], [ProvisioningState.Available]));
        Assert.Equal(["a", "b", "c", "d", "e"],
            await NamesAsync(db, [], [ProvisioningState.Available, ProvisioningState.Registering]));
    }

    [Theory, BothStores]
    public async Task Pages_follow_each_other_in_name_order_without_gaps_or_repeats_and_only_a_page_with_more_after_it_continues(
        DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        foreach (string name in new[] { "n-3", "n-10", "n-5", "n-2", "n-4" })
        {
            await db.NewStore().EnrollAsync(TestHosts.New(name));
        }

        Assert.Equal(["n-10 n-2 | n-2", "n-3 n-4 | n-4", "n-5 | end"], await PagesAsync(db, limit: 2, []));
        // A last page that is exactly full: the store looked one further and found nothing, so no empty page follows.
        Assert.Equal(["n-10 n-2 n-3 n-4 n-5 | end"], await PagesAsync(db, limit: 5, []));
    }

    [Theory, BothStores]
    public async Task A_page_of_a_selection_continues_after_the_last_match_not_after_the_last_host(DatabaseProvider provider)
    {
        await using var db = await SeedAsync(provider);

        Assert.Equal(["a | a", "c | end"], await PagesAsync(db, limit: 1, [Label("team", "blue")]));
        Assert.Equal(["b d | d", "e | end"], await PagesAsync(db, limit: 2, [Label("team", "blue", negated: true)]));
    }

    /// <summary>a: team=blue rack=r1; b: team=red rack=r1; c: team=blue; d: no labels; e: rack=r2 (enrolled out of order).</summary>
    private static async Task<TestDatabase> SeedAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await db.NewStore().EnrollAsync(TestHosts.New("e", new() { ["rack"] = "r2" }));
        await db.NewStore().EnrollAsync(TestHosts.New("c", new() { ["team"] = "blue" }));
        await db.NewStore().EnrollAsync(TestHosts.New("a", new() { ["team"] = "blue", ["rack"] = "r1" }));
        await db.NewStore().EnrollAsync(TestHosts.New("d"));
        await db.NewStore().EnrollAsync(TestHosts.New("b", new() { ["team"] = "red", ["rack"] = "r1" }));
        return db;
    }

    private static LabelRequirement Label(string key, string? value = null, bool negated = false) => new(key, value, negated);

    private static Task<List<string>> NamesAsync(TestDatabase db, params LabelRequirement[] labels) => NamesAsync(db, labels, []);

    private static async Task<List<string>> NamesAsync(TestDatabase db, LabelRequirement[] labels, ProvisioningState[] states)
    {
        var (items, last) = await db.NewStore().ListAsync(new HostListQuery(labels, states, Limit: 100, AfterName: null), None);
        Assert.Null(last);
        return items.Select(h => h.Name).ToList();
    }

    /// <summary>
    /// Every page as "its names | the name to continue after" ("end" when it says there is no more), following each page's
    /// continuation to the next.
    /// </summary>
    private static async Task<List<string>> PagesAsync(TestDatabase db, int limit, LabelRequirement[] labels)
    {
        var pages = new List<string>();
        string? after = null;
        do
        {
            var (items, last) = await db.NewStore().ListAsync(new HostListQuery(labels, [], limit, after), None);
            pages.Add($"{string.Join(' ', items.Select(h => h.Name))} | {last ?? "end"}");
            after = last;
        }
        while (after is not null && pages.Count < 10);
        return pages;
    }
}
