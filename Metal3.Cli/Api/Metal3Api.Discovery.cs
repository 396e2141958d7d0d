using System.Text.Json.Nodes;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>Discovered machines, <c>/api/v1/discovered</c>.</summary>
public sealed partial class Metal3Api
{
    public async Task<IReadOnlyList<Received<DiscoveredMachineResponse>>> ListDiscoveredAsync(CancellationToken ct)
    {
        var page = Typed((await SendAsync(HttpMethod.Get, "/api/v1/discovered", null, null, null, ct)).Object,
            DaemonJson.Shape<ListResponse<DiscoveredMachineResponse>>(), "discovered machines");
        return Items(page.Value.Items, page.Json);
    }

    public async Task<Received<DiscoveredMachineResponse>> GetDiscoveredAsync(string id, CancellationToken ct) =>
        Typed((await SendAsync(HttpMethod.Get, DiscoveredPath(id), null, null, null, ct)).Object,
            DaemonJson.Shape<DiscoveredMachineResponse>(), "discovered machines");

    /// <summary>Enrolls the discovered machine as a host; the reply is the new host.</summary>
    public async Task<Received<HostResponse>> EnrollDiscoveredAsync(string id, JsonObject body, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Post, DiscoveredPath(id) + "/enroll", body, "application/json", null, ct));

    private static string DiscoveredPath(string id) => "/api/v1/discovered/" + Uri.EscapeDataString(id);
}
