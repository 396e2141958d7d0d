using System.Text;
using Metal3.Core.Provisioning;
using Metal3.Pxe;
using Metal3.Server.Pxe;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Server.Tests.Pxe;

/// <summary>
/// The iPXE script endpoint in-process: the script follows the host it is looked up from even though the rendered
/// bytes are kept between requests, and the <c>mac</c> parameter is read from the raw query as ASP.NET would read it.
/// (The daemon-in-a-namespace tests cover the same endpoint over real HTTP, per state.)
/// </summary>
public sealed class BootScriptEndpointTests
{
    private const string Mac = "52:54:00:aa:20:01";

    /// <summary>A lookup whose answer the test changes between requests, as the reconciler changes a host's state.</summary>
    private sealed class SettableLookup : IBootHostLookup
    {
        public BootHost? Host { get; set; }
        public ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken) =>
            ValueTask.FromResult(mac == Mac ? Host : null);
    }

    private static BootScriptEndpoint Endpoint(IBootHostLookup hosts)
    {
        var pxe = new PxeHosting { Options = new PxeOptions { Interface = "lo", HttpUrl = new Uri("http://198.18.0.1:8080") } };
        // The timeline's writer loop is never started here: steps only queue in memory, nothing touches a database.
        var timeline = new BootTimeline(null!, null!, TimeProvider.System, NullLogger<BootTimeline>.Instance);
        return new BootScriptEndpoint(pxe, hosts, timeline, new PxeMetrics(), NullLogger<BootScriptEndpoint>.Instance);
    }

    private static async Task<(int Status, string Body)> GetAsync(BootScriptEndpoint endpoint, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = BootScriptEndpoint.Path;
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;
        await endpoint.HandleAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task The_script_follows_the_hosts_state_from_one_request_to_the_next()
    {
        var hosts = new SettableLookup { Host = new BootHost("worker-1", ProvisioningState.Inspecting, false) };
        var endpoint = Endpoint(hosts);

        var inspecting = await GetAsync(endpoint, $"?mac={Mac}");
        var again = await GetAsync(endpoint, $"?mac={Mac}");
        hosts.Host = new BootHost("worker-1", ProvisioningState.Provisioned, true);
        var provisioned = await GetAsync(endpoint, $"?mac={Mac}");
        hosts.Host = new BootHost("worker-1", ProvisioningState.Deprovisioning, true);
        var deprovisioning = await GetAsync(endpoint, $"?mac={Mac}");

        Assert.Equal(200, inspecting.Status);
        Assert.Contains("worker-1 Inspecting", inspecting.Body);
        Assert.Contains("kernel http://198.18.0.1:8080/boot/agent/vmlinuz", inspecting.Body);
        Assert.Equal(inspecting, again);
        Assert.Contains("worker-1 Provisioned", provisioned.Body);
        Assert.Contains("sanboot", provisioned.Body);
        Assert.DoesNotContain("kernel", provisioned.Body);
        Assert.Contains("worker-1 Deprovisioning", deprovisioning.Body);
        Assert.Contains("kernel", deprovisioning.Body);
    }

    [Fact]
    public async Task An_escaped_mac_in_any_position_of_the_query_is_found_and_a_missing_one_refused()
    {
        var endpoint = Endpoint(new SettableLookup { Host = new BootHost("worker-1", ProvisioningState.Inspecting, false) });

        var escaped = await GetAsync(endpoint, "?mac=52%3A54%3A00%3AAA%3A20%3A01");
        var later = await GetAsync(endpoint, $"?arch=x64&mac={Mac}&x=1");
        var prefixOnly = await GetAsync(endpoint, $"?macaddr={Mac}");
        var none = await GetAsync(endpoint, "");

        Assert.Equal(200, escaped.Status);
        Assert.Contains($"# metal3: {Mac} worker-1", escaped.Body);
        Assert.Equal(escaped, later);
        Assert.Equal(400, prefixOnly.Status);
        Assert.Equal(400, none.Status);
        Assert.Contains("MAC address", none.Body);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?", null)]
    [InlineData("?mac", "")]
    [InlineData("?mac=", "")]
    [InlineData("?mac=a&mac=b", "a")]
    [InlineData("?x=1&&mac=a%20b", "a b")]
    [InlineData("?xmac=1&mac=2", "2")]
    [InlineData("?mac%3D=1", null)]
    public void Query_values_are_read_by_exact_name_first_one_wins(string query, string? expected) =>
        Assert.Equal(expected, BootScriptEndpoint.QueryValue(new QueryString(query.Length == 0 ? null : query), "mac"));
}
