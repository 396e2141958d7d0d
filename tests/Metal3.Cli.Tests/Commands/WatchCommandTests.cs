using System.Net.Http.Json;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary>
/// <c>hosts watch</c> against the watch API (<c>GET /api/v1/hosts?watch=true</c>, server-sent events). Piped, every
/// change is a line: EVENT NAME STATE ….
/// </summary>
[Collection(CliDaemonCollection.Name)]
public class WatchCommandTests(CliDaemon daemon)
{
    [Fact]
    public async Task WatchShowsAChange()
    {
        using var watch = daemon.Cli().StartLong("hosts", "watch", "-l", "suite=watch");
        await watch.WaitForLineAsync(l => l.StartsWith("EVENT", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "with the header");
        // The header comes before the first list; give the watch a moment to be connected before the change.
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var api = daemon.Api();
        var enrolled = await api.PostAsJsonAsync("/api/v1/hosts",
            new { name = "watch-0", labels = new { suite = "watch" }, bmc = new { address = "fake://watch-0" } });
        enrolled.EnsureSuccessStatusCode();

        await watch.WaitForLineAsync(l => l.StartsWith("ADDED", StringComparison.Ordinal) && l.Contains(" watch-0 "),
            TimeSpan.FromSeconds(30), "ADDED watch-0");
        // The reconcile loop takes it through registering… to available: each step is a MODIFIED event.
        await watch.WaitForLineAsync(l => l.StartsWith("MODIFIED", StringComparison.Ordinal) && l.Contains(" watch-0 ")
            && l.Contains(" available "), TimeSpan.FromSeconds(60), "MODIFIED watch-0 … available");

        (await api.DeleteAsync("/api/v1/hosts/watch-0")).EnsureSuccessStatusCode();
        await watch.WaitForLineAsync(l => l.StartsWith("DELETED", StringComparison.Ordinal) && l.Contains(" watch-0 "),
            TimeSpan.FromSeconds(60), "DELETED watch-0");
    }
}
