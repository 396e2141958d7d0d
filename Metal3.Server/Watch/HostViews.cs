using System.Text.Json;
using Metal3.Data.Entities;
using Metal3.Server.Api;

namespace Metal3.Server.Watch;

internal static class HostViews
{
    public static HostView From(HostRecord host, JsonSerializerOptions json) =>
        new(host.Id, host.Name, host.ResourceVersion, host.Spec.Labels, host.State, JsonSerializer.Serialize(host.ToResponse(), json));

    /// <summary>A deleted host this daemon never loaded: at least its name and resource version.</summary>
    public static HostView Gone(HostChangeRecord change) =>
        new(change.HostId, change.HostName, change.ResourceVersion, null, null,
            $$"""{"name":{{JsonSerializer.Serialize(change.HostName)}},"resourceVersion":"{{change.ResourceVersion}}"}""");
}
