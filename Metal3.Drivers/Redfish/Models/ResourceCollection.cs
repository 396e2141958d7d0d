using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>Any Redfish collection: the member links are all a driver needs.</summary>
internal sealed record ResourceCollection(IReadOnlyList<string> Members, long? DeclaredCount)
{
    public static ResourceCollection From(JsonElement e) => new(e.Links("Members"), e.Long("Members@odata.count"));
}
