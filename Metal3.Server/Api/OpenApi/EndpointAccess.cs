namespace Metal3.Server.Api.OpenApi;

/// <summary>Which credential an endpoint takes, read from the same metadata the authorization middleware reads.</summary>
public enum EndpointAccess
{
    Anonymous,
    ReaderToken,
    AdminToken,
    AgentToken,
}
