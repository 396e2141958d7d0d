using System.Net;
using Metal3.Server.Tests.Support;
using Npgsql;
using Xunit.Abstractions;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Jobs;

/// <summary>
/// PostgreSQL stopped (<c>pg_ctl stop -m immediate</c>) under a daemon process with hosts in flight, then started again:
/// the API answers 503 with Retry-After and changes nothing, the daemon stays up and says so in a few lines, and after
/// the restart every host finishes its way with one clean history and no failed job, without restarting the daemon.
/// (bench/chaos/run.sh does the same with 200 hosts and a 30-second outage.)
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Hosts = 20;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly string Checksum = new('c', 64);

    private static readonly string[] ExpectedPath =
    [
        "registering>inspecting", "inspecting>preparing", "preparing>available", "available>provisioning", "provisioning>provisioned",
    ];

    [Fact]
    public async Task Postgres_stopped_mid_flight_gives_503s_a_few_log_lines_and_every_host_finishes_after_it_returns()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var pg = await PostgresServer.StartPrivateAsync();
        string cs = await pg.CreateDatabaseAsync("outage");
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-outage-{Guid.NewGuid():N}");
        await using var daemon = await DaemonProcess.StartAsync(dir, cs,
            "--Metal3:Jobs:Lease", "00:00:08", "--Metal3:Jobs:SafetyNet", "00:00:04",
            "--Logging:LogLevel:Default", "Information", "--Logging:LogLevel:Microsoft.AspNetCore", "Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        using var client = daemon.Client();
        for (int i = 0; i < Hosts; i++)
        {
            var created = await client.PostAsync("/api/v1/hosts", Json($$$"""
                {"name": "out-{{{i:D2}}}", "bmc": {"address": "fake://out-{{{i}}}?delayMs=1000"}, "online": true,
                 "image": {"url": "http://images/img.raw", "checksum": "{{{Checksum}}}"}}
                """));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        Assert.True(await ProvisionedAsync(client) < Hosts, "every host finished before the outage: nothing was in flight");

        output.WriteLine($"{clock.Elapsed}: {Hosts} hosts enrolled, stopping PostgreSQL");
        int linesBefore = daemon.Log().Split('\n').Length;
        await pg.StopImmediatelyAsync();
        var answers = await DuringOutageAsync(client);
        Assert.False(daemon.Exited, "the daemon stopped while the database was away");
        string[] outageLog = daemon.Log().Split('\n')[linesBefore..];
        await pg.StartAgainAsync();

        output.WriteLine($"{answers.Count} requests during the outage: {string.Join(", ", answers.GroupBy(a => a).Select(g => $"{g.Key} x{g.Count()}"))}");
        output.WriteLine($"{outageLog.Length} log lines during the outage:\n{string.Join('\n', outageLog)}");
        Assert.NotEmpty(answers);
        Assert.All(answers, a => Assert.Equal("503 problem Retry-After=5", a));
        Assert.True(outageLog.Length <= 30, $"{outageLog.Length} log lines during a {Outage.TotalSeconds} s outage");
        Assert.Contains(outageLog, l => l.Contains("The database cannot be reached", StringComparison.Ordinal));

        output.WriteLine($"{clock.Elapsed}: PostgreSQL started again");
        await Eventually.Until(async () => await ProvisionedAsync(client) == Hosts, TimeSpan.FromSeconds(60),
            () => Task.FromResult($"every host provisioned after the database returned:\n{daemon.LogTail()}"));
        output.WriteLine($"{clock.Elapsed}: every host provisioned");
        Assert.Contains("The database is reachable again", daemon.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", daemon.Log(), StringComparison.Ordinal);
        await AssertCleanAsync(cs);
    }

    /// <summary>Reads and writes for the length of the outage; each answer as "status kind Retry-After=n".</summary>
    private static async Task<List<string>> DuringOutageAsync(HttpClient client)
    {
        var answers = new List<string>();
        var end = DateTime.UtcNow + Outage;
        for (int i = 0; DateTime.UtcNow < end; i++)
        {
            using var response = (i % 3) switch
            {
                0 => await client.GetAsync("/api/v1/hosts"),
                1 => await client.GetAsync("/api/v1/hosts/out-00"),
                _ => await client.PostAsync("/api/v1/hosts", Json("""{"name": "during-outage", "bmc": {"address": "fake://x"}}""")),
            };
            string kind = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? "problem" : "other";
            answers.Add($"{(int)response.StatusCode} {kind} Retry-After={response.Headers.RetryAfter?.Delta?.TotalSeconds}");
            await Task.Delay(250);
        }
        return answers;
    }

    private static async Task<int> ProvisionedAsync(HttpClient client)
    {
        var list = await JsonOf(await client.GetAsync("/api/v1/hosts"));
        return list["items"]!.AsArray().Count(h => (string?)h!["status"]!["provisioning"]!["state"] == "provisioned");
    }

    /// <summary>One clean path per host, no error on the way, the write refused during the outage absent, no failed job.</summary>
    private static async Task AssertCleanAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var paths = new Dictionary<string, List<string>>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT \"HostName\", \"FromState\", \"ToState\" FROM host_events WHERE \"Reason\" = 'StateChanged' ORDER BY \"Id\"", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                string host = reader.GetString(0);
                (paths.TryGetValue(host, out var p) ? p : paths[host] = []).Add($"{reader.GetString(1)}>{reader.GetString(2)}");
            }
        }
        Assert.Equal(Hosts, paths.Count);
        Assert.All(paths, kv => Assert.Equal(ExpectedPath, kv.Value));
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM hosts WHERE \"Name\" = 'during-outage'"));
        Assert.Equal(0L, await ScalarAsync(conn, "SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'"));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
