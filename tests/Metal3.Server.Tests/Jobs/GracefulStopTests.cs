using System.Net;
using Metal3.Server.Tests.Support;
using Npgsql;
using Xunit.Abstractions;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Jobs;

/// <summary>
/// SIGTERM, as systemd stops the service, with steps under way (each BMC call of these hosts takes a second): the daemon
/// exits well inside systemd's 30 s, hands every host back on its way out, and a restarted daemon moves every unfinished host at once.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public class GracefulStopTests(ITestOutputHelper output)
{
    private const int Hosts = 10;
    private static readonly string Checksum = new('c', 64);

    [Fact]
    public async Task Sigterm_mid_step_exits_within_25_s_and_leaves_no_host_on_a_held_lease()
    {
        var pg = await PostgresServer.GetAsync();
        string cs = await pg.CreateDatabaseAsync("stop");
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-stop-{Guid.NewGuid():N}");
        // The production lease (60 s): a lease left behind would hold its host for a minute after the restart.
        string[] settings = ["--Logging:LogLevel:Default", "Warning"];
        var first = await DaemonProcess.StartAsync(dir, cs, settings);
        using (var client = first.Client())
        {
            for (int i = 0; i < Hosts; i++)
            {
                var created = await client.PostAsync("/api/v1/hosts", Json($$$"""
                    {"name": "stop-{{{i:D2}}}", "bmc": {"address": "fake://stop-{{{i}}}?callMs=1000"}, "online": true,
                     "image": {"url": "http://images/img.raw", "checksum": "{{{Checksum}}}"}}
                    """));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
        }
        await Eventually.Until(async () => await HeldLeasesAsync(cs) >= Hosts / 2, TimeSpan.FromSeconds(30),
            async () => $"steps under way; {await HeldLeasesAsync(cs)} leases held");

        var took = await first.TerminateAsync(TimeSpan.FromSeconds(25));
        output.WriteLine($"exited {took.TotalSeconds:F1} s after SIGTERM with {first.ExitCode}");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0L, await HeldLeasesAsync(cs));
        await first.DisposeAsync();

        long lastEvent = await ScalarAsync(cs, "SELECT coalesce(max(\"Id\"), 0) FROM host_events");
        long unfinished = await ScalarAsync(cs, "SELECT count(*) FROM hosts WHERE \"State\" <> 'Provisioned'");
        Assert.True(unfinished > 0, "every host finished before the stop: nothing was under way");

        // Every host that was on its way moves again as soon as the new daemon runs: no lease to wait out.
        var restarted = System.Diagnostics.Stopwatch.StartNew();
        await using var second = await DaemonProcess.StartAsync(dir, cs, settings);
        await Eventually.Until(async () => await ScalarAsync(cs,
                $"SELECT count(DISTINCT \"HostId\") FROM host_events WHERE \"Id\" > {lastEvent}") >= unfinished,
            TimeSpan.FromSeconds(20), () => Task.FromResult($"every unfinished host to move after the restart:\n{second.LogTail()}"));
        output.WriteLine($"{unfinished} unfinished hosts all moved {restarted.Elapsed.TotalSeconds:F1} s after the restart began");
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<long> HeldLeasesAsync(string cs) => ScalarAsync(cs, "SELECT count(*) FROM hosts WHERE \"LeaseOwner\" IS NOT NULL");
}
