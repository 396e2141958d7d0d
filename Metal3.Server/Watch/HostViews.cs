using System.Text;
using System.Text.Json;
using Metal3.Data.Entities;
using Metal3.Server.Cache;

namespace Metal3.Server.Watch;

internal static class HostViews
{
    public static HostView From(HostRecord host, JsonSerializerOptions json) => From(CachedHost.From(host, json));

    /// <summary>The watch's view of a cached host: the same JSON, per role (readers never see <c>userData</c>).</summary>
    public static HostView From(CachedHost host)
    {
        string json = Encoding.UTF8.GetString(host.Json);
        string reader = ReferenceEquals(host.ReaderJson, host.Json) ? json : Encoding.UTF8.GetString(host.ReaderJson);
        return new HostView(host.Id, host.Name, host.ResourceVersion, host.Labels, host.State, json, reader);
    }

    /// <summary>A deleted host this daemon never loaded: at least its name and resource version.</summary>
    public static HostView Gone(HostChangeRecord change) =>
        new(change.HostId, change.HostName, change.ResourceVersion, null, null,
            $$"""{"name":{{JsonSerializer.Serialize(change.HostName)}},"resourceVersion":"{{change.ResourceVersion}}"}""");
}
