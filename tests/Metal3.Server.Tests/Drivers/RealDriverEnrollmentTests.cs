using System.Net;
using System.Text.Json.Nodes;
using Metal3.Drivers.Tests.Ipmi.Simulators;
using Metal3.Drivers.Tests.Redfish;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Drivers;

/// <summary>Hosts enrolled against real BMC implementations go through the state machine with real BMC calls.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class RealDriverEnrollmentTests : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "realbmc");
        _app = new Metal3App(StoreKind.Sqlite, dir, null, jobs: true);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_ipmi_sim_host_registers_and_is_powered_on_as_ipmitool_sees()
    {
        await using var bmc = await IpmiSimBmc.StartAsync();
        Assert.False(await Ipmitool.PowerIsOnAsync(bmc));

        var created = await _admin.PostAsync("/api/v1/hosts", Json($$$"""
            {"name": "ipmi-1", "bootMacAddress": "52:54:00:00:aa:01", "online": true,
             "bmc": {"address": "ipmi://127.0.0.1:{{{bmc.Port}}}", "username": "{{{SimulatedBmc.User}}}", "password": "{{{SimulatedBmc.Password}}}"}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var host = await UntilAsync("ipmi-1", h => State(h) == "available" && (bool?)h["status"]!["poweredOn"] == true, TimeSpan.FromSeconds(60));
        Assert.True((bool?)host["status"]!["goodCredentials"]);
        Assert.True(await Ipmitool.PowerIsOnAsync(bmc));
        Assert.True(bmc.RecordedPowerOn);
        var reasons = await Reasons("ipmi-1");
        Assert.Contains(reasons, r => r.StartsWith("InspectionSkipped:", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("PowerOn:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ipmi_host_with_a_wrong_password_is_a_registration_error_until_the_password_is_fixed()
    {
        await using var bmc = await IpmiSimBmc.StartAsync();
        await _admin.PostAsync("/api/v1/hosts", Json($$$"""
            {"name": "ipmi-2", "bmc": {"address": "ipmi://127.0.0.1:{{{bmc.Port}}}", "username": "{{{SimulatedBmc.User}}}", "password": "wrong"}}
            """));
        var failed = await UntilAsync("ipmi-2", h => (string?)h["status"]!["errorType"] == "registration error", TimeSpan.FromSeconds(60));
        Assert.False((bool?)failed["status"]!["goodCredentials"]);

        await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/ipmi-2",
            $$$"""{"bmc": {"password": "{{{SimulatedBmc.Password}}}"}}""", mediaType: "application/merge-patch+json"));
        await UntilAsync("ipmi-2", h => State(h) == "available", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_redfish_host_is_inspected_out_of_band_and_becomes_available()
    {
        await using var server = await RedfishTestServer.StartAsync("dmtf-public-rackmount1");
        var created = await _admin.PostAsync("/api/v1/hosts", Json($$$"""
            {"name": "redfish-1", "bmc": {"address": "{{{server.Address("/redfish/v1/Systems/437XR1138R2")}}}",
             "username": "{{{RedfishTestServer.Username}}}", "password": "{{{RedfishTestServer.Password}}}"}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var host = await UntilAsync("redfish-1", h => State(h) == "available", TimeSpan.FromSeconds(60));
        var hardware = host["status"]!["hardware"]!;
        Assert.Equal(2, (int?)hardware["cpu"]!["count"]);
        Assert.Equal(98304, (long?)hardware["ramMebibytes"]);
        Assert.Equal("Contoso", (string?)hardware["systemVendor"]!["manufacturer"]);
        Assert.Equal(["registering>inspecting", "inspecting>preparing", "preparing>available"],
            (await Events("redfish-1")).Where(e => (string?)e!["reason"] == "StateChanged")
                .Select(e => $"{(string?)e!["fromState"]}>{(string?)e["toState"]}"));
    }

    private static string? State(JsonNode h) => (string?)h["status"]!["provisioning"]!["state"];

    private async Task<JsonNode> UntilAsync(string name, Func<JsonNode, bool> condition, TimeSpan deadline)
    {
        JsonNode host = null!;
        await Eventually.Until(async () => condition(host = await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}"))), deadline,
            async () => $"{host?.ToJsonString()} events: {string.Join(", ", await Reasons(name))}");
        return host;
    }

    private async Task<JsonArray> Events(string name) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}/events")))["items"]!.AsArray();

    private async Task<List<string>> Reasons(string name) =>
        (await Events(name)).Select(e => $"{(string?)e!["reason"]}: {(string?)e["message"]}").ToList();
}
