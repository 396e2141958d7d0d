using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Metal3.Agent.Inspection;
using Metal3.Agent.Protocol;
using Metal3.Agent.Tests.Support;
using Metal3.Server.Tests.Support;
using Metal3.Testing;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Agent.Tests.Protocol;

/// <summary>
/// The agent loop against the real daemon (in process, reconcile loop on): on an unknown machine it reports itself to
/// discovery and keeps looking up; once an operator enrolls the machine, the same running agent gets its host's token
/// and inspects it, without being restarted.
/// </summary>
public sealed class AgentLoopDiscoveryTests : IAsyncLifetime
{
    private static readonly string[] FixtureMacs = ["52:54:00:f1:00:01", "52:54:00:f1:00:02"];
    private Metal3App _app = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent-discovery");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, jobs: true, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:HeartbeatInterval"] = "00:00:01",
            ["Metal3:Agent:LookupsPerMinute"] = "10000",
        });
        _ = _app.Services;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task On_lookup_404_the_agent_reports_its_machine_and_once_enrolled_the_same_agent_gets_a_token_and_inspects()
    {
        var log = new ConcurrentQueue<string>();
        string root = Fixtures.Root("qemu-q35");
        using var http = _app.CreateClient();
        var loop = new AgentLoop(new AgentClient(http, http.BaseAddress!), new Commands(http, root), log.Enqueue, root,
            retryDelay: TimeSpan.FromMilliseconds(100), bmcAddress: _ => Task.FromResult<string?>("198.18.0.17"));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(stop.Token));
        var admin = _app.Admin();
        try
        {
            JsonNode? machine = null;
            await Eventually.Until(async () =>
                {
                    machine = (await JsonOf(await admin.GetAsync("/api/v1/discovered")))["items"]!.AsArray().SingleOrDefault();
                    return machine is not null;
                }, TimeSpan.FromSeconds(15), () => Task.FromResult("no discovered machine: " + string.Join('\n', log)));
            Assert.Equal(FixtureMacs, machine!["macs"]!.AsArray().Select(m => (string)m!));
            Assert.Equal("198.18.0.17", (string?)machine["bmcAddress"]);
            Assert.Equal(2, (int)machine["summary"]!["nicCount"]!);
            int lookupsBefore = log.Count(l => l.StartsWith("lookup refused: 404", StringComparison.Ordinal));
            // It keeps looking up between reports (at most one report per interval the daemon asked for).
            await Eventually.Until(() => log.Count(l => l.StartsWith("lookup refused: 404", StringComparison.Ordinal)) > lookupsBefore,
                TimeSpan.FromSeconds(10), () => string.Join('\n', log));
            Assert.Single(log, l => l.Contains("discovered as", StringComparison.Ordinal));

            var enrolled = await admin.PostAsync($"/api/v1/discovered/{machine["id"]}/enroll", Json("""
                {"name": "disc-agent-0", "bmc": {"address": "fake://disc-agent-0?agent=ramdisk"}}
                """));
            Assert.True(enrolled.StatusCode == HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
            // At once, long before inspection ends: this agent runs on the test machine, and the erase that cleaning would
            // send next names the fixture's disks (/dev/vda, ...) as real device paths. Without cleaning, inspection is the
            // only command and the host goes straight to available.
            var noCleaning = await admin.PatchAsync("/api/v1/hosts/disc-agent-0",
                Json("""{"automatedCleaningMode": "disabled"}""", "application/merge-patch+json"));
            Assert.True(noCleaning.StatusCode == HttpStatusCode.OK, await noCleaning.Content.ReadAsStringAsync());

            await Eventually.Until(async () =>
                    (string?)(await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-agent-0")))["status"]!["provisioning"]!["state"] == "available",
                TimeSpan.FromSeconds(30),
                async () => $"not available: {await admin.GetStringAsync("/api/v1/hosts/disc-agent-0")}\n{string.Join('\n', log)}");
            Assert.Contains(log, l => l == "METAL3-AGENT session for host disc-agent-0");
            Assert.Contains(log, l => l.StartsWith("METAL3-AGENT command", StringComparison.Ordinal) && l.EndsWith("inspect", StringComparison.Ordinal));
            // The command went to the agent that was waiting: the daemon did not reboot the machine into a new one.
            var events = (await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-agent-0/events?limit=1000")))["items"]!.AsArray();
            var started = Assert.Single(events, e => (string?)e!["reason"] == "AgentCommandStarted")!;
            Assert.Equal("inspect started; handed to the agent already running on the host, no reboot", (string?)started["message"]);
            var host = await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-agent-0"));
            Assert.Equal(FixtureMacs, host["status"]!["hardware"]!["nics"]!.AsArray().Select(n => (string)n!["mac"]!));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Theory]
    [InlineData("Set in Progress         : Set Complete\nIP Address Source       : Static Address\nIP Address              : 198.18.0.21\nSubnet Mask             : 255.255.254.0\n", "198.18.0.21")]
    [InlineData("IP Address Source       : DHCP Address\nIP Address              : 0.0.0.0\n", null)]
    [InlineData("Could not open device at /dev/ipmi0\n", null)]
    public void The_BMC_address_is_read_from_ipmitool_lan_print(string output, string? expected) =>
        Assert.Equal(expected, BmcAddressReader.Parse(output));

    [Fact]
    public async Task Without_ipmitool_the_BMC_address_is_null()
    {
        Assert.Null(await new BmcAddressReader("/nonexistent/ipmitool").ReadAsync(CancellationToken.None));
    }
}
