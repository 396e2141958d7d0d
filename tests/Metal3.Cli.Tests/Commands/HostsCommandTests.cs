using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary>The built metal3ctl against a real daemon: what it prints, what it changes, how it exits.</summary>
[Collection(CliDaemonCollection.Name)]
public class HostsCommandTests(CliDaemon daemon)
{
    private static readonly string Checksum = new('a', 64);

    [Fact]
    public async Task List_prints_the_kubectl_columns_with_one_row_per_host()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, """
            name: list-0
            labels: {suite: list}
            bmc: {address: "fake://list-0"}
            online: true
            consumerRef: cluster-a
            """);

        var run = await cli.RunAsync("hosts", "list", "-l", "suite=list");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["NAME", "STATE", "CONSUMER", "ONLINE", "POWER", "BMC", "ERROR", "AGE"], Words(lines[0]));
        Assert.Equal(2, lines.Length);
        string[] row = Words(lines[1]);
        Assert.Equal("list-0", row[0]);
        Assert.Contains(row[1], new[] { "registering", "inspecting", "preparing", "available" });
        Assert.Equal("cluster-a", row[2]);
        Assert.Equal("true", row[3]);
        Assert.Equal("fake://list-0", row[5]);
        Assert.Matches(@"^\d+[smhd]$", row[^1]);
    }

    [Fact]
    public async Task List_json_is_the_daemons_hosts_filtered_by_selector_and_state()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, """
            - {name: json-0, labels: {suite: json, rack: r1}, bmc: {address: "fake://json-0"}}
            - {name: json-1, labels: {suite: json, rack: r2}, bmc: {address: "fake://json-1"}}
            """);

        var all = JsonNode.Parse((await cli.RunAsync("hosts", "list", "-l", "suite=json", "-o", "json")).Stdout)!;
        var r1 = JsonNode.Parse((await cli.RunAsync("hosts", "list", "-l", "suite=json,rack=r1", "-o", "json")).Stdout)!;
        var deleting = JsonNode.Parse((await cli.RunAsync("hosts", "list", "-l", "suite=json", "--state", "deleting", "-o", "json")).Stdout)!;

        Assert.Equal(["json-0", "json-1"], Names(all));
        Assert.Equal(["json-0"], Names(r1));
        Assert.Empty(Names(deleting));
        Assert.Equal("fake://json-1", all["items"]![1]!["bmc"]!["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_yaml_enrolled_back_changes_nothing()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, """
            name: yaml-0
            labels: {rack: "10", tier: "true"}
            bmc: {address: "fake://yaml-0"}
            bootMacAddress: 52-54-00-AA-00-01
            rootDeviceHints: {deviceName: /dev/sda, minSizeGigabytes: 10}
            userData: |
              #cloud-config
              hostname: yaml-0
            """);
        // The reconcile loop moves the version until the host rests; only the enroll below must not.
        await StateAsync("yaml-0", "available", powerSettled: true);
        var run = await cli.RunAsync("hosts", "get", "yaml-0", "-o", "yaml");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("rack: \"10\"", run.Stdout);
        string file = Path.Combine(cli.WorkingDirectory, "yaml-0.yaml");
        await File.WriteAllTextAsync(file, run.Stdout);
        string before = (await daemon.GetHostAsync("yaml-0"))["resourceVersion"]!.ToString();

        var again = await cli.RunAsync("hosts", "enroll", "-f", file);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal("host/yaml-0 unchanged", again.Stdout.Trim());
        Assert.Equal(before, (await daemon.GetHostAsync("yaml-0"))["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Enrolling_the_same_file_twice_reports_unchanged_and_moves_no_resource_version()
    {
        var cli = daemon.Cli();
        string file = Path.Combine(cli.WorkingDirectory, "hosts.yaml");
        // Two documents, the second an items list; values the daemon normalises (upper-case checksum and MAC, '-'
        // separators) and a write-only password, so "unchanged" has to see through all of them.
        await File.WriteAllTextAsync(file, $"""
            name: idem-0
            labels: {"{"}rack: r1{"}"}
            bmc:
              address: fake://idem-0
            online: true
            image:
              url: http://images.example/one.raw
              checksum: {Checksum.ToUpperInvariant()}
            ---
            items:
              - name: idem-1
                bmc: {"{"}address: "fake://idem-1", username: admin, password: secret{"}"}
                bootMacAddress: 52-54-00-AB-CD-01
                bootMode: legacy
            """);

        var first = await cli.RunAsync("hosts", "enroll", "-f", file);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("host/idem-0 created\nhost/idem-1 created", first.Stdout.Trim());
        // Let the reconcile loop finish with both (it moves their versions as it goes, and once more after the state is
        // reached, when the power comes to follow spec.online: CI saw 6 become 7 during the second enroll), then apply
        // the file again.
        await StateAsync("idem-0", "provisioned", powerSettled: true);
        await StateAsync("idem-1", "available", powerSettled: true);
        var versions = await VersionsAsync("idem-0", "idem-1");

        var second = await cli.RunAsync("hosts", "enroll", "-f", file);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal("host/idem-0 unchanged\nhost/idem-1 unchanged", second.Stdout.Trim());
        Assert.Equal(versions, await VersionsAsync("idem-0", "idem-1"));
        Assert.DoesNotContain(await EventsAsync("idem-1"), e => e!["reason"]!.GetValue<string>() == "SpecUpdated");
    }

    [Fact]
    public async Task Enrolling_a_changed_file_replaces_the_spec_and_reports_configured()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, "{name: change-0, labels: {rack: r1}, bmc: {address: \"fake://change-0\"}}");

        var run = await cli.RunAsync(["hosts", "enroll", "-f", "-"],
            """{"name": "change-0", "labels": {"rack": "r2"}, "bmc": {"address": "fake://change-0"}}""", TimeSpan.FromMinutes(1));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("host/change-0 configured", run.Stdout.Trim());
        Assert.Equal("r2", (await daemon.GetHostAsync("change-0"))["labels"]!["rack"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_host_shows_every_field_error_and_exits_1_while_the_good_host_is_enrolled()
    {
        var cli = daemon.Cli();
        string file = Path.Combine(cli.WorkingDirectory, "bad.yaml");
        await File.WriteAllTextAsync(file, """
            - name: Bad_Name
              bmc: {address: "gopher://x"}
              bootMacAddress: not-a-mac
            - name: good-0
              bmc: {address: "fake://good-0"}
            """);

        var run = await cli.RunAsync("hosts", "enroll", "-f", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("host/good-0 created", run.Stdout);
        Assert.Contains("error: host/Bad_Name: The request has invalid fields (400)", run.Stderr);
        Assert.Matches(@"(?im)^\s+name: .*DNS-1123", run.Stderr);
        Assert.Matches(@"(?im)^\s+bootMacAddress: ", run.Stderr);
        Assert.Matches(@"(?im)^\s+bmc\.address: ", run.Stderr);
    }

    [Fact]
    public async Task A_file_that_is_not_yaml_is_a_usage_error_and_sends_nothing()
    {
        var cli = daemon.Cli();
        string file = Path.Combine(cli.WorkingDirectory, "broken.yaml");
        await File.WriteAllTextAsync(file, "name: [unclosed\n");

        var run = await cli.RunAsync("hosts", "enroll", "-f", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not valid YAML", run.Stderr);
    }

    [Fact]
    public async Task A_missing_host_exits_3_with_the_servers_problem()
    {
        var run = await daemon.Cli().RunAsync("hosts", "get", "no-such-host");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("Not found (404): no host named 'no-such-host'", run.Stderr);
    }

    [Fact]
    public async Task A_wrong_token_exits_4_and_says_how_to_pass_one()
    {
        var run = await new Metal3CtlProcess(daemon.Url, "m3_wrong").RunAsync("hosts", "list");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("(401)", run.Stderr);
        Assert.Contains("METAL3_TOKEN", run.Stderr);
    }

    [Fact]
    public async Task A_reader_token_from_tokens_create_can_list_but_not_enroll()
    {
        var admin = daemon.Cli();
        var created = await admin.RunAsync("tokens", "create", "--role", "reader", "--name", "cli-reader");
        Assert.Equal(0, created.ExitCode);
        string token = created.Stdout.Trim();
        Assert.StartsWith("m3_", token);
        Assert.Contains("shown only this once", created.Stderr);

        var reader = new Metal3CtlProcess(null, null);
        reader.Environment["METAL3_URL"] = daemon.Url;
        reader.Environment["METAL3_TOKEN"] = token;
        var list = await reader.RunAsync("hosts", "list", "-o", "json");
        string file = Path.Combine(reader.WorkingDirectory, "h.yaml");
        await File.WriteAllTextAsync(file, "{name: reader-0, bmc: {address: \"fake://reader-0\"}}");
        var enroll = await reader.RunAsync("hosts", "enroll", "-f", file);
        var tokens = JsonNode.Parse((await admin.RunAsync("tokens", "list", "-o", "json")).Stdout)!;

        Assert.Equal(0, list.ExitCode);
        Assert.Equal(4, enroll.ExitCode);
        Assert.Contains("(403)", enroll.Stderr);
        Assert.Contains(tokens["items"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "cli-reader"
            && t["role"]!.GetValue<string>() == "reader");
    }

    [Fact]
    public async Task Provision_wait_follows_a_fake_host_to_provisioned()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, "{name: prov-0, bmc: {address: \"fake://prov-0?delayMs=300\"}, online: true}");

        var run = await cli.RunAsync("hosts", "provision", "prov-0", "--image", "http://images.example/prov.raw",
            "--checksum", Checksum, "--checksum-type", "sha256", "--format", "raw", "--wait", "--timeout", "3m");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("host/prov-0 provisioning requested: http://images.example/prov.raw", run.Stdout);
        Assert.EndsWith("host/prov-0 provisioned", run.Stdout.Trim());
        var host = await daemon.GetHostAsync("prov-0");
        Assert.Equal("provisioned", host["status"]!["provisioning"]!["state"]!.GetValue<string>());
        Assert.Equal("sha256", host["image"]!["checksumType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Provision_wait_exits_1_with_the_hosts_error_when_provisioning_fails()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, "{name: provfail-0, bmc: {address: \"fake://provfail-0?fail=provision\"}}");

        var run = await cli.RunAsync("hosts", "provision", "provfail-0", "--image", "http://images.example/p.raw",
            "--checksum", Checksum, "--wait", "--timeout", "3m");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("host/provfail-0 failed: provisioning error", run.Stderr);
    }

    [Fact]
    public async Task Describe_says_why_a_host_is_stuck_with_its_error_time_in_state_and_newest_events()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, "{name: desc-0, labels: {suite: describe}, bmc: {address: \"fake://desc-0?fail=provision\"}, online: true}");
        await StateAsync("desc-0", "available");
        (await cli.RunAsync("hosts", "provision", "desc-0", "--image", "http://images.example/d.raw", "--checksum", Checksum,
            "--wait", "--timeout", "3m")).ToString();

        var run = await cli.RunAsync("hosts", "describe", "desc-0");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Stdout.Split('\n');
        Assert.Equal("desc-0", Field(lines, "Name"));
        Assert.Equal("suite=describe", Field(lines, "Labels"));
        Assert.Matches(@"^[a-z-]+ for \d+[smhd] \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$", Field(lines, "State"));
        Assert.StartsWith("provisioning error (", Field(lines, "Error"), StringComparison.Ordinal);
        Assert.StartsWith("http://images.example/d.raw (", Field(lines, "Image"), StringComparison.Ordinal);
        Assert.EndsWith(" aaaaaaaaaaaaaaaa…)", Field(lines, "Image"), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  cpu ", StringComparison.Ordinal));   // the fake BMC's inventory
        int events = Array.FindIndex(lines, l => l.StartsWith("Events (newest ", StringComparison.Ordinal));
        Assert.True(events > 0, run.Stdout);
        Assert.Equal(["AGE", "TYPE", "REASON", "MESSAGE"], Words(lines[events + 1]));
        // Newest first: the provisioning failure comes before the registration.
        int failed = Array.FindIndex(lines, events, l => l.Contains("Warning", StringComparison.Ordinal));
        Assert.True(failed > events, run.Stdout);

        var missing = await cli.RunAsync("hosts", "describe", "no-such-host");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no-such-host", missing.Stderr, StringComparison.Ordinal);
    }

    private static string Field(string[] lines, string name) =>
        lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    [Fact]
    public async Task Deprovision_power_reboot_inspect_and_delete_reach_the_daemon()
    {
        var cli = daemon.Cli();
        await EnrollAsync(cli, $$$"""
            {name: life-0, bmc: {address: "fake://life-0"}, online: true,
             image: {url: "http://images.example/l.raw", checksum: "{{{Checksum}}}"}}
            """);

        var off = await cli.RunAsync("hosts", "power", "off", "life-0");
        Assert.False((await daemon.GetHostAsync("life-0"))["online"]!.GetValue<bool>());
        var on = await cli.RunAsync("hosts", "power", "on", "life-0", "--wait", "--timeout", "2m");
        var reboot = await cli.RunAsync("hosts", "power", "reboot", "life-0");
        var inspect = await cli.RunAsync("hosts", "inspect", "life-0");
        var deprovision = await cli.RunAsync("hosts", "deprovision", "life-0");
        Assert.Null((await daemon.GetHostAsync("life-0"))["image"]);
        var events = await cli.RunAsync("hosts", "events", "life-0");
        var delete = await cli.RunAsync("hosts", "delete", "life-0", "--wait", "--timeout", "3m");
        var gone = await cli.RunAsync("hosts", "get", "life-0");

        foreach (var run in new[] { off, on, reboot, inspect, deprovision, events, delete })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        Assert.StartsWith("TIME", events.Stdout);
        Assert.Matches(@"\n\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z   ", events.Stdout); // the daemon's times, in UTC
        Assert.Contains("host/life-0 powered on", on.Stdout);
        Assert.Matches(@"(?m)^\S+ \S+\s+Normal\s+RebootRequested\s", events.Stdout);
        Assert.Contains("InspectionRequested", events.Stdout);
        Assert.Contains("host/life-0 deleted", delete.Stdout);
        Assert.Equal(3, gone.ExitCode);
    }

    [Fact]
    public async Task An_unreachable_daemon_exits_5_with_a_clear_message()
    {
        int port = FreePort.Tcp();
        var run = await new Metal3CtlProcess($"http://127.0.0.1:{port}", "m3_x").RunAsync("hosts", "list");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains($"cannot reach the metal3 daemon at http://127.0.0.1:{port}/ (connection refused)", run.Stderr);
    }

    [Fact]
    public async Task The_local_admin_token_file_is_used_when_no_token_is_given()
    {
        var cli = new Metal3CtlProcess(daemon.Url, token: null);
        Directory.CreateDirectory(Path.Combine(cli.WorkingDirectory, "data"));
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, "data", "admin.token"), daemon.AdminToken + "\n");

        var run = await cli.RunAsync("hosts", "list", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task The_config_file_gives_url_and_token()
    {
        var cli = new Metal3CtlProcess(null, null);
        string config = Path.Combine(cli.WorkingDirectory, "xdg");
        Directory.CreateDirectory(Path.Combine(config, "metal3"));
        await File.WriteAllTextAsync(Path.Combine(config, "metal3", "config.yaml"), $"url: {daemon.Url}\ntoken: {daemon.AdminToken}\n");
        cli.Environment["XDG_CONFIG_HOME"] = config;

        var run = await cli.RunAsync("hosts", "list", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotNull(JsonNode.Parse(run.Stdout)!["items"]);
    }

    [Theory]
    [InlineData("hosts", "provision", "x")]              // --image and --checksum are required
    [InlineData("hosts", "frobnicate")]                   // no such command
    [InlineData("hosts")]                                 // a group needs a subcommand
    [InlineData("tokens", "create", "--role", "root", "--name", "n")]
    [InlineData("hosts", "list", "-o", "xml")]
    [InlineData("hosts", "provision", "x", "--image", "http://i/x", "--checksum", "a", "--wait", "--timeout", "soon")]
    public async Task Bad_command_lines_exit_2(params string[] args)
    {
        var run = await daemon.Cli().RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.Stderr);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        string[][] commands =
        [
            [], ["hosts"], ["hosts", "list"], ["hosts", "get"], ["hosts", "enroll"], ["hosts", "provision"], ["hosts", "deprovision"],
            ["hosts", "delete"], ["hosts", "power"], ["hosts", "power", "on"], ["hosts", "power", "off"], ["hosts", "power", "reboot"],
            ["hosts", "inspect"], ["hosts", "events"], ["hosts", "watch"], ["tokens"], ["tokens", "create"], ["tokens", "list"],
            ["tokens", "revoke"],
        ];
        var cli = new Metal3CtlProcess(null, null);
        foreach (string[] command in commands)
        {
            var run = await cli.RunAsync([.. command, "--help"]);
            Assert.True(run.ExitCode == 0 && run.Stdout.Contains("Usage:"), $"{string.Join(' ', command)} --help: {run}");
        }
    }

    private static async Task EnrollAsync(Metal3CtlProcess cli, string yaml)
    {
        var run = await cli.RunAsync(["hosts", "enroll", "-f", "-"], yaml, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    /// <param name="powerSettled">Also wait until status.poweredOn follows spec.online (the resting states' last write).</param>
    private async Task StateAsync(string name, string state, bool powerSettled = false)
    {
        string current = "";
        await Eventually.Until(async () =>
        {
            var host = await daemon.GetHostAsync(name);
            current = host["status"]!["provisioning"]!["state"]!.GetValue<string>();
            bool powered = (bool?)host["status"]!["poweredOn"] ?? false, online = (bool?)host["online"] ?? false;
            return current == state && (!powerSettled || powered == online);
        }, TimeSpan.FromMinutes(2), () => Task.FromResult($"{name} is {current}, not {state}{(powerSettled ? " with its power following spec.online" : "")}"));
    }

    private async Task<Dictionary<string, string>> VersionsAsync(params string[] names)
    {
        var versions = new Dictionary<string, string>();
        foreach (string name in names)
        {
            versions[name] = (await daemon.GetHostAsync(name))["resourceVersion"]!.ToString();
        }
        return versions;
    }

    private async Task<JsonArray> EventsAsync(string name)
    {
        using var api = daemon.Api();
        return (await api.GetFromJsonAsync<JsonObject>($"/api/v1/hosts/{name}/events"))!["items"]!.AsArray();
    }

    private static string[] Names(JsonNode list) => list["items"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).ToArray();

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
