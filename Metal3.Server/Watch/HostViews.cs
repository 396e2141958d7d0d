using System.Text.Json;
using Metal3.Data.Entities;
using Metal3.Server.Api;

namespace Metal3.Server.Watch;

internal static class HostViews
{
    /// <summary>Serialized once per change for every watcher: twice only when there is userData to hide from readers.</summary>
    public static HostView From(HostRecord host, JsonSerializerOptions json)
    {
        var response = host.ToResponse();
        string? readerJson = response.UserData is null ? null : JsonSerializer.Serialize(response with { UserData = null }, json);
        return new(host.Id, host.Name, host.ResourceVersion, host.Spec.Labels, host.State, JsonSerializer.Serialize(response, json), readerJson);
    }

    /// <summary>A deleted host this daemon never loaded: at least its name and resource version.</summary>
    public static HostView Gone(HostChangeRecord change) =>
        new(change.HostId, change.HostName, change.ResourceVersion, null, null,
            $$"""{"name":{{JsonSerializer.Serialize(change.HostName)}},"resourceVersion":"{{change.ResourceVersion}}"}""");
}
