using System.Net;
using System.Text.Json.Nodes;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>The host set resource, <c>/api/v1/hostsets</c>.</summary>
public sealed partial class Metal3Api
{
    public Task<IReadOnlyList<Received<HostSetResponse>>> ListHostSetsAsync(string? labelSelector, CancellationToken ct) =>
        ListAllAsync<HostSetResponse>("/api/v1/hostsets", labelSelector, "hostsets", ct);

    public async Task<Received<HostSetResponse>> GetHostSetAsync(string name, CancellationToken ct) =>
        HostSet(await SendAsync(HttpMethod.Get, HostSetPath(name), null, null, null, ct));

    /// <summary>The set, or null when there is none (404); other problems are thrown.</summary>
    public async Task<Received<HostSetResponse>?> FindHostSetAsync(string name, CancellationToken ct)
    {
        try
        {
            return await GetHostSetAsync(name, ct);
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Received<HostSetResponse>> CreateHostSetAsync(JsonObject set, CancellationToken ct) =>
        HostSet(await SendAsync(HttpMethod.Post, "/api/v1/hostsets", set, "application/json", null, ct));

    public async Task<Received<HostSetResponse>> PatchHostSetAsync(string name, JsonObject mergePatch, CancellationToken ct) =>
        HostSet(await SendAsync(HttpMethod.Patch, HostSetPath(name), mergePatch, MergePatchType, null, ct));

    public async Task<Received<HostSetResponse>> DeleteHostSetAsync(string name, CancellationToken ct) =>
        HostSet(await SendAsync(HttpMethod.Delete, HostSetPath(name), null, null, null, ct));

    private Received<HostSetResponse> HostSet(Reply reply) => Typed(reply.Object, DaemonJson.Shape<HostSetResponse>(), "hostsets");

    private static string HostSetPath(string name) => "/api/v1/hostsets/" + Uri.EscapeDataString(name);
}
