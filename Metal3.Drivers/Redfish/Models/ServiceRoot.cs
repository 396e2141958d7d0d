using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>GET /redfish/v1/: where the collections and the session service are.</summary>
internal sealed record ServiceRoot(
    string? RedfishVersion,
    string? Vendor,
    string? Product,
    string? SystemsPath,
    string? ManagersPath,
    string? SessionServicePath,
    string? SessionsPath)
{
    public static ServiceRoot From(JsonElement e) => new(
        e.Str("RedfishVersion"),
        e.Str("Vendor"),
        e.Str("Product"),
        e.Link("Systems"),
        e.Link("Managers"),
        e.Link("SessionService"),
        e.Obj("Links")?.Link("Sessions"));
}
