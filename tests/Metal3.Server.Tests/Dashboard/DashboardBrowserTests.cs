using System.Net;
using Metal3.Server.Tests.Support;
using Metal3.Server.Tests.Support.Browser;
using Xunit.Abstractions;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's headless Chromium over the DevTools protocol) against a real daemon
/// process with the reconcile loop on and simulated (<c>fake://</c>) hosts.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string Checksum = new('a', 64);

    [Fact]
    public async Task The_dashboard_shows_enrolled_hosts_and_follows_their_state_without_a_reload()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-dashboard-{Guid.NewGuid():N}");
        await using var daemon = await DaemonProcess.StartAsync(dir, null);
        using var api = daemon.Client();
        foreach (string name in new[] { "rack1-0", "rack1-1", "rack2-0" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/hosts", Json(FakeHost(name)))).StatusCode);
        }
        string token = File.ReadAllText(Path.Combine(dir, "admin.token")).Trim();

        await using var chromium = await HeadlessChromium.StartAsync();
        await using var page = await chromium.FirstPageAsync();
        await page.NavigateAsync(daemon.Url + "/");

        // No token yet: the page asks for one; a wrong one is refused and asked for again.
        await page.WaitForAsync("!document.getElementById('token-form').hidden", Deadline, "the token form shown");
        await page.EvaluateAsync("document.getElementById('token').focus()");
        await page.TypeAsync("m3_not-a-token");
        await page.PressEnterAsync();
        await page.WaitForAsync("!document.getElementById('token-error').hidden && document.getElementById('token-error').textContent.includes('401')",
            Deadline, "a wrong token refused");
        Assert.Null(await page.EvaluateAsync("localStorage.getItem('metal3.token')"));

        await page.EvaluateAsync("document.getElementById('token').focus()");
        await page.TypeAsync(token);
        await page.PressEnterAsync();
        await page.WaitForAsync("document.querySelectorAll('#host-rows tr[data-host]').length === 3", Deadline, "three hosts in the table");
        Assert.Equal(token, (string?)await page.EvaluateAsync("localStorage.getItem('metal3.token')"));
        // Marks this document: if the page reloaded, the mark would be gone.
        await page.EvaluateAsync("window.metal3TestMark = 'same document'");

        // A host enrolled now appears, and a host given an image goes to provisioned, while the page stays loaded.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/hosts", Json(FakeHost("late-0")))).StatusCode);
        await page.WaitForAsync("document.querySelector('#host-rows tr[data-host=\"late-0\"]')", Deadline, "the late host in the table");
        await page.WaitForAsync("document.querySelector('#host-rows tr[data-host=\"rack1-0\"]').dataset.state === 'available'",
            Deadline, "rack1-0 available");
        var provision = await api.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/rack1-0",
            $$$"""{"image": {"url": "http://images.example/os.raw", "checksum": "{{{Checksum}}}"}}""", mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, provision.StatusCode);
        await page.WaitForAsync("document.querySelector('#host-rows tr[data-host=\"rack1-0\"]').dataset.state === 'provisioned'",
            Deadline, "rack1-0 provisioned in the table");
        Assert.Equal("same document", (string?)await page.EvaluateAsync("window.metal3TestMark"));

        // The grid: a tile per host, coloured by state; a click opens the host's details and its events.
        await page.ClickAsync("#show-grid");
        await page.WaitForAsync("!document.getElementById('host-grid').hidden && document.querySelectorAll('#host-grid .tile').length === 4",
            Deadline, "four tiles in the grid");
        Assert.Equal("rgb(46, 125, 50)", (string?)await page.EvaluateAsync(
            "getComputedStyle(document.querySelector('#host-grid .tile[data-host=\"rack1-0\"]')).backgroundColor"));
        await page.ClickAsync("#host-grid .tile[data-host=\"rack1-0\"]");
        await page.WaitForAsync("document.getElementById('details-name').textContent === 'rack1-0'", Deadline, "rack1-0's details");
        await page.WaitForAsync("[...document.querySelectorAll('#timeline .event .transition')].some(t => t.textContent.includes('provisioned'))",
            Deadline, "rack1-0's timeline with its transition to provisioned");

        string screenshot = TestArtifacts.PathFor("dashboard.png");
        await page.ScreenshotAsync(screenshot);
        output.WriteLine($"dashboard screenshot: {screenshot}");
        Console.WriteLine($"dashboard screenshot: {screenshot}");
        byte[] png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"a {png.Length}-byte screenshot is too small to show the page");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // A daemon with the watch API (its list carries a resourceVersion) is followed live; one without is polled.
        bool watchable = (await JsonOf(await api.GetAsync("/api/v1/hosts")))["resourceVersion"] is not null;
        string mode = (string?)await page.EvaluateAsync("document.getElementById('connection').dataset.mode") ?? "";
        output.WriteLine($"connection mode: {mode}");
        Assert.Equal(watchable ? "live" : "polling", mode);
        // The only problem allowed is the browser noting the wrong token's 401; a CSP violation would show here.
        Assert.DoesNotContain(page.Problems, p => !p.Contains("status of 401", StringComparison.Ordinal));
    }

    private static string FakeHost(string name) =>
        $$"""{"name": "{{name}}", "labels": {"group": "{{name.Split('-')[0]}}"}, "bmc": {"address": "fake://{{name}}?delayMs=200"}, "online": true}""";
}
