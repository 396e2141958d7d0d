using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Metrics;

/// <summary>A fake:// lifecycle through the real daemon, then <c>/metrics</c> scraped and parsed.</summary>
[Collection(ReconcileLoopCollection.Name)]
public abstract partial class MetricsScrapeTests(StoreKind store) : IAsyncLifetime
{
    private static readonly string Checksum = new('c', 64);
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "metrics");
        _app = new Metal3App(store, dir, cs, jobs: true);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task After_a_lifecycle_the_scrape_shows_hosts_transitions_time_in_state_reconciles_and_bmc_calls()
    {
        for (int i = 0; i < 3; i++)
        {
            var r = await _admin.PostAsync("/api/v1/hosts", Json($$$"""
                {"name": "m-{{{i}}}", "bmc": {"address": "fake://m-{{{i}}}"}, "online": true,
                 "image": {"url": "http://images/m.raw", "checksum": "{{{Checksum}}}"}}
                """));
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts", Json(
            """{"name": "m-bad", "bmc": {"address": "fake://m-bad?fail=credentials"}, "online": true}"""))).StatusCode);
        await Eventually.Until(async () =>
                (await JsonOf(await _admin.GetAsync("/api/v1/hosts?state=provisioned")))["items"]!.AsArray().Count == 3,
            TimeSpan.FromSeconds(60), async () => await _admin.GetStringAsync("/api/v1/hosts"));
        await Eventually.Until(async () => (string?)(await JsonOf(await _admin.GetAsync("/api/v1/hosts/m-bad")))["status"]!["errorType"] is not null,
            TimeSpan.FromSeconds(30), async () => await _admin.GetStringAsync("/api/v1/hosts/m-bad"));

        var reader = _app.WithToken(await NewToken("reader"));
        var response = await reader.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = Parse(await response.Content.ReadAsStringAsync());

        // The runtime's and ASP.NET Core's meters too, named the Prometheus way (unit suffix, _total on counters).
        Assert.True(samples.Single(s => s.Key.StartsWith("dotnet_process_memory_working_set_bytes", StringComparison.Ordinal)).Value > 0);
        Assert.Contains(samples.Keys, k => k.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal));
        Assert.Equal(4, samples.Where(s => s.Key.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && s.Key.Contains("http_request_method=\"POST\"", StringComparison.Ordinal)
            && s.Key.Contains("http_response_status_code=\"201\"", StringComparison.Ordinal)
            && s.Key.Contains("http_route=\"/api/v1/hosts/\"", StringComparison.Ordinal)).Sum(s => s.Value));

        // The example alert rules (deploy/prometheus) ask only for metrics this scrape has.
        var families = samples.Keys.Select(k => k.Split('{')[0]).ToHashSet(StringComparer.Ordinal);
        string rules = File.ReadAllText(Repository.Path("deploy", "prometheus", "metal3-alerts.yml"));
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(rules));   // throws on a file Prometheus could not read either
        foreach (string named in MetricNameInRules().Matches(rules).Select(m => m.Value).Distinct())
        {
            Assert.True(families.Contains(named), $"deploy/prometheus/metal3-alerts.yml uses {named}, which /metrics does not serve");
        }

        Assert.Equal(3, samples["metal3_hosts{operational_status=\"OK\",state=\"provisioned\"}"]);
        Assert.Equal(0, samples["metal3_hosts{operational_status=\"OK\",state=\"deleting\"}"]);
        Assert.Equal(1, samples["metal3_hosts{operational_status=\"error\",state=\"registering\"}"]);
        Assert.Equal(3, samples["metal3_host_transitions_total{from=\"provisioning\",to=\"provisioned\"}"]);
        Assert.Equal(3, samples["metal3_host_transitions_total{from=\"registering\",to=\"inspecting\"}"]);
        Assert.Equal(3, samples["metal3_host_state_duration_seconds_count{state=\"inspecting\"}"]);
        Assert.Equal(3, samples["metal3_host_state_duration_seconds_bucket{state=\"registering\",le=\"+Inf\"}"]);
        Assert.True(samples["metal3_host_state_duration_seconds_sum{state=\"available\"}"] >= 0);
        Assert.True(samples.Where(s => s.Key.StartsWith("metal3_reconcile_duration_seconds_count{", StringComparison.Ordinal)).Sum(s => s.Value) >= 3 * 6);
        Assert.True(samples.ContainsKey("metal3_reconcile_queue_depth{queue=\"pending\"}"));
        Assert.True(samples.ContainsKey("metal3_reconcile_queue_depth{queue=\"enqueued\"}"));
        Assert.True(samples.Where(s => s.Key.StartsWith("metal3_bmc_call_duration_seconds_count{driver=\"fake\"", StringComparison.Ordinal)
            && s.Key.Contains("outcome=\"Ok\"")).Sum(s => s.Value) >= 3 * 4);
        Assert.True(samples.Where(s => s.Key.StartsWith("metal3_bmc_errors_total{driver=\"fake\"", StringComparison.Ordinal)
            && s.Key.Contains("outcome=\"WrongCredentials\"")).Sum(s => s.Value) >= 1);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("metal3_bmc_errors_total", StringComparison.Ordinal) && k.Contains("outcome=\"Ok\""));
    }

    [Fact]
    public async Task Metrics_need_a_token_unless_configured_anonymous()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.WithToken(null).GetAsync("/metrics")).StatusCode);

        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "metrics-anon");
        await using var open = new Metal3App(StoreKind.Sqlite, dir, null, new Dictionary<string, string?> { ["Metal3:Metrics:Anonymous"] = "true" });
        var response = await open.WithToken(null).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE metal3_hosts gauge", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await open.WithToken(null).GetAsync("/api/v1/hosts")).StatusCode);
    }

    /// <summary>Every line is a comment or <c>name{labels} value</c>; returns the samples by name and labels.</summary>
    /// <summary>Metric names in a rule expression: ours and the HTTP server's.</summary>
    [GeneratedRegex(@"\b(?:metal3|http_server|dotnet)_[a-z_]+\b")]
    private static partial Regex MetricNameInRules();

    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                continue;
            }
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            double value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            Assert.True(samples.TryAdd(m.Groups["series"].Value, value), $"duplicate series {m.Groups["series"].Value}");
        }
        return samples;
    }

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})?) (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    private async Task<string> NewToken(string role)
    {
        var r = await _admin.PostAsync("/api/v1/tokens", Json($$"""{"name": "t-{{role}}", "role": "{{role}}"}"""));
        return (string)(await JsonOf(r))["token"]!;
    }
}

[Collection(ReconcileLoopCollection.Name)]
public sealed class MetricsScrapeSqliteTests() : MetricsScrapeTests(StoreKind.Sqlite);

[Collection(ReconcileLoopCollection.Name)]
public sealed class MetricsScrapePostgresTests() : MetricsScrapeTests(StoreKind.Postgres);
