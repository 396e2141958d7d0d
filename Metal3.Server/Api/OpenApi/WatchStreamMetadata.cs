namespace Metal3.Server.Api.OpenApi;

/// <summary>Marks a list endpoint that streams its changes as server-sent events with <c>watch=true</c>.</summary>
public sealed class WatchStreamMetadata
{
    public static readonly WatchStreamMetadata Instance = new();

    private WatchStreamMetadata()
    {
    }
}
