using System.Text.Json;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Metal3.Server.Api;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Cache;

/// <summary>
/// One host as the cache keeps it: its response JSON as UTF-8, once for admins and once without <c>userData</c> for
/// readers (the same array when the host has none, which is most of them), plus the few fields that the version rule
/// and the list indexes read. A get copies <see cref="Json"/> out; a list concatenates it.
/// </summary>
public sealed record CachedHost(
    Guid Id,
    string Name,
    long ResourceVersion,
    ProvisioningState State,
    IReadOnlyDictionary<string, string> Labels,
    byte[] Json,
    byte[] ReaderJson)
{
    /// <summary>The response bytes the caller may see: readers never get <c>userData</c> (DESIGN.md, Auth).</summary>
    public byte[] JsonFor(bool admin) => admin ? Json : ReaderJson;

    public static CachedHost From(HostRecord record, JsonSerializerOptions json) => From(record.ToHost(), json);

    public static CachedHost From(Host host, JsonSerializerOptions json)
    {
        var response = host.ToResponse();
        byte[] admin = JsonSerializer.SerializeToUtf8Bytes(response, json);
        byte[] reader = response.UserData is null ? admin : JsonSerializer.SerializeToUtf8Bytes(response with { UserData = null }, json);
        return new CachedHost(host.Id, host.Name, host.ResourceVersion, host.State, host.Spec.Labels, admin, reader);
    }
}
