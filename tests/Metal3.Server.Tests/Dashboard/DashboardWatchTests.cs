using System.Threading.Channels;
using Metal3.Server.Tests.Support;
using Metal3.Server.Tests.Support.Browser;
using static Metal3.Server.Tests.Dashboard.ScriptedWatchServer;

namespace Metal3.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's watch client in Chromium against a scripted server speaking the watch contract
/// (list with resourceVersion; GET /api/v1/hosts?watch=true&amp;resourceVersion=N as text/event-stream; 410 → list again),
/// and its fallback to polling when the daemon has no watch API.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class DashboardWatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_update_the_page_and_a_gone_resource_version_lists_again()
    {
        await using var server = await StartAsync();
        server.ThenList("5", Host("a", "available"));
        var first = Channel.CreateUnbounded<string>();
        var third = Channel.CreateUnbounded<string>();
        server.Streams.Enqueue(first);
        await using var chromium = await HeadlessChromium.StartAsync();
        await using var page = await SignedInAsync(chromium, server.Url);

        await page.WaitForAsync(Row("a") + ".dataset.state === 'available'", Deadline, "host a listed");
        await page.WaitForAsync("document.getElementById('connection').dataset.mode === 'live'", Deadline, "the watch followed");

        // A keepalive, then an event split across two writes (the client must buffer up to the blank line).
        string modified = Event(6, "MODIFIED", Host("a", "provisioned"));
        await first.Writer.WriteAsync(": keepalive\n\n");
        await first.Writer.WriteAsync(modified[..25]);
        await first.Writer.WriteAsync(modified[25..]);
        await page.WaitForAsync(Row("a") + ".dataset.state === 'provisioned'", Deadline, "a MODIFIED to provisioned");
        await first.Writer.WriteAsync(Event(7, "ADDED", Host("b", "registering")) + Event(8, "DELETED", Host("a", "provisioned")));
        await page.WaitForAsync($"{Row("b")} && !{Row("a")}", Deadline, "b ADDED and a DELETED");

        // The stream ends: the page lists again (now at 20) and watches from there; that watch is 410 Gone, so it
        // lists again (at 30) and watches from 30.
        server.ThenList("20", Host("b", "inspecting"), Host("c", "available"));
        server.ThenList("30", Host("b", "inspecting"), Host("c", "available"), Host("d", "preparing"));
        server.Streams.Enqueue(null);
        server.Streams.Enqueue(third);
        first.Writer.Complete();
        await page.WaitForAsync($"{Row("d")} && {Row("c")}", Deadline, "hosts from the list after 410");
        await WaitForAsync(() => server.WatchedFrom.Count >= 3, "the third watch");
        await third.Writer.WriteAsync(Event(31, "MODIFIED", Host("d", "available")));
        await page.WaitForAsync(Row("d") + ".dataset.state === 'available'", Deadline, "d MODIFIED on the third stream");

        Assert.Equal(["5", "20", "30"], server.WatchedFrom.Select(v => v ?? "(none)").ToArray());
        Assert.Equal(3, server.Lists);
        // The only problem allowed is the browser noting the 410; a script error or CSP violation would show here.
        Assert.DoesNotContain(page.Problems, p => !p.Contains("status of 410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_daemon_without_the_watch_api_is_polled()
    {
        await using var server = await StartAsync();
        server.WatchSupported = false;
        server.ThenList("1", Host("old-0", "available"));
        await using var chromium = await HeadlessChromium.StartAsync();
        await using var page = await SignedInAsync(chromium, server.Url);

        await page.WaitForAsync(Row("old-0"), Deadline, "the host listed");
        await page.WaitForAsync("document.getElementById('connection').dataset.mode === 'polling'", Deadline, "polling");
        server.ThenList("2", Host("old-0", "provisioning"));
        await page.WaitForAsync(Row("old-0") + ".dataset.state === 'provisioning'", Deadline, "the change seen by polling");

        Assert.True(server.Lists >= 2);
        Assert.Empty(page.Problems);
    }

    private static async Task<CdpPage> SignedInAsync(HeadlessChromium chromium, string url)
    {
        var page = await chromium.FirstPageAsync();
        await page.NavigateAsync(url + "/");
        await page.WaitForAsync("!document.getElementById('token-form').hidden", Deadline, "the token form");
        await page.EvaluateAsync("document.getElementById('token').focus()");
        await page.TypeAsync(Token);
        await page.PressEnterAsync();
        return page;
    }

    private static string Row(string name) => $"document.querySelector('#host-rows tr[data-host=\"{name}\"]')";

    private static async Task WaitForAsync(Func<bool> condition, string what) =>
        await Eventually.Until(() => Task.FromResult(condition()), Deadline, () => Task.FromResult(what));
}
