namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// Marks the deploy agent's calls that take its per-host agent token: anonymous to ASP.NET authorization (the agent
/// has no API token; AgentApi checks its own), but not to a client reading the document.
/// </summary>
public sealed class AgentTokenMetadata
{
    public static readonly AgentTokenMetadata Instance = new();

    private AgentTokenMetadata()
    {
    }
}
