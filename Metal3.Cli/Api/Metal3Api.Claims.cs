using System.Net;
using System.Text.Json.Nodes;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>The claim resource, <c>/api/v1/claims</c>.</summary>
public sealed partial class Metal3Api
{
    /// <summary>Every claim whose labels match, following <c>continue</c> until the last page.</summary>
    public Task<IReadOnlyList<Received<ClaimResponse>>> ListClaimsAsync(string? labelSelector, CancellationToken ct) =>
        ListAllAsync<ClaimResponse>("/api/v1/claims", labelSelector, "claims", ct);

    public async Task<Received<ClaimResponse>> GetClaimAsync(string name, CancellationToken ct) =>
        Claim(await SendAsync(HttpMethod.Get, ClaimPath(name), null, null, null, ct));

    /// <summary>The claim, or null when there is none (404); other problems are thrown.</summary>
    public async Task<Received<ClaimResponse>?> FindClaimAsync(string name, CancellationToken ct)
    {
        try
        {
            return await GetClaimAsync(name, ct);
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Received<ClaimResponse>> CreateClaimAsync(JsonObject claim, CancellationToken ct) =>
        Claim(await SendAsync(HttpMethod.Post, "/api/v1/claims", claim, "application/json", null, ct));

    public async Task<Received<ClaimResponse>> DeleteClaimAsync(string name, CancellationToken ct) =>
        Claim(await SendAsync(HttpMethod.Delete, ClaimPath(name), null, null, null, ct));

    private Received<ClaimResponse> Claim(Reply reply) => Typed(reply.Object, DaemonJson.Shape<ClaimResponse>(), "claims");

    private static string ClaimPath(string name) => "/api/v1/claims/" + Uri.EscapeDataString(name);
}
