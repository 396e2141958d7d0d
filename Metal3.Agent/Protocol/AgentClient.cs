using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Metal3.Contracts.Agent;

namespace Metal3.Agent.Protocol;

/// <summary>The agent's side of the protocol (see Metal3.Contracts.Agent): plain HTTP calls, the daemon never calls back.</summary>
public sealed class AgentClient(HttpClient http, Uri api)
{
    private static AgentJsonContext Json => AgentJsonContext.Default;

    /// <summary>
    /// The lookup answer, or null with the daemon's reason when it refused (not our state yet, unknown MAC);
    /// <c>Unknown</c> when no host has any of our MACs (404), which is when the agent reports its machine for discovery.
    /// </summary>
    public async Task<(AgentLookupResponse? Session, string? Refusal, bool Unknown)> LookupAsync(AgentLookupRequest request, CancellationToken ct)
    {
        using var response = await WithTimeout(t => http.PostAsJsonAsync(new Uri(api, "/api/v1/agent/lookup"), request, Json.AgentLookupRequest, t), ct);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync(Json.AgentLookupResponse, ct), null, false);
        }
        return (null, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}",
            response.StatusCode == HttpStatusCode.NotFound);
    }

    /// <summary>Reports this machine to discovery: the daemon's answer, or null with its reason when it refused.</summary>
    public async Task<(AgentDiscoveryResponse? Recorded, string? Refusal)> ReportDiscoveryAsync(AgentDiscoveryReport report, CancellationToken ct)
    {
        using var response = await WithTimeout(t => http.PostAsJsonAsync(new Uri(api, "/api/v1/agent/discovery"), report, Json.AgentDiscoveryReport, t), ct);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync(Json.AgentDiscoveryResponse, ct), null);
        }
        return (null, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The next command (null: none), or <see cref="SessionEndedException"/> when the token no longer works.</summary>
    public async Task<AgentHeartbeatResponse> HeartbeatAsync(AgentLookupResponse session, AgentHeartbeat beat, CancellationToken ct)
    {
        using var request = Post(session, $"/api/v1/agent/hosts/{session.HostName}/heartbeat", JsonContent.Create(beat, Json.AgentHeartbeat));
        using var response = await WithTimeout(t => http.SendAsync(request, t), ct);
        await ThrowIfEndedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(Json.AgentHeartbeatResponse, ct)
            ?? throw new HttpRequestException("empty heartbeat answer");
    }

    public async Task ReportAsync(AgentLookupResponse session, long commandId, AgentCommandResult result, CancellationToken ct)
    {
        using var request = Post(session, $"/api/v1/agent/hosts/{session.HostName}/commands/{commandId}/result",
            JsonContent.Create(result, Json.AgentCommandResult));
        using var response = await WithTimeout(t => http.SendAsync(request, t), ct);
        await ThrowIfEndedAsync(response, ct);
    }

    /// <summary>Calls to the daemon are short; one that hangs (a dead provisioning network) counts as failed, to be retried.</summary>
    private async Task<HttpResponseMessage> WithTimeout(Func<CancellationToken, Task<HttpResponseMessage>> call, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"no answer from {api} within {CallTimeout.TotalSeconds} s");
        }
    }

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private HttpRequestMessage Post(AgentLookupResponse session, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return request;
    }

    private static async Task ThrowIfEndedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
        {
            throw new SessionEndedException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        response.EnsureSuccessStatusCode();
    }
}
