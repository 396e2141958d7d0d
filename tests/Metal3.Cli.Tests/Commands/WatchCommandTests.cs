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
        // No wait for the watch to connect: the host is ADDED whether it lands before the list (in the list), between
        // the list and the watch request (in the replay from the list's version) or after (live).

        using var api = daemon.Api();
        var enrolled = await api.PostAsJsonAsync("/api/v1/hosts",
            new { name = "watch-0", labels = new { suite = "watch" }, bmc = new { address = "fake://watch-0" } });
        enrolled.EnsureSuccessStatusCode();

        await watch.WaitForLineAsync(l => l.StartsWith("ADDED", StringComparison.Ordinal) && l.Contains(" watch-0 "),
            TimeSpan.FromSeconds(30), "ADDED watch-0");
        // The reconcile loop takes it through registering… to available: each step is a MODIFIED event (on a slow
        // start the list itself may already show it available, as ADDED).
        await watch.WaitForLineAsync(l => (l.StartsWith("MODIFIED", StringComparison.Ordinal) || l.StartsWith("ADDED", StringComparison.Ordinal))
            && l.Contains(" watch-0 ") && l.Contains(" available "), TimeSpan.FromSeconds(60), "watch-0 … available");

        // The DELETED line shows the whole host as last seen (its BMC column filled), not just a name: the daemon's
        // last copy (deletion first powers the host off, so often that state), or else the CLI's own.
        (await api.DeleteAsync("/api/v1/hosts/watch-0")).EnsureSuccessStatusCode();
        await watch.WaitForLineAsync(l => l.StartsWith("DELETED", StringComparison.Ordinal) && l.Contains(" watch-0 ") && l.Contains(" fake://watch-0 "),
            TimeSpan.FromSeconds(60), "DELETED watch-0");
    }
}
