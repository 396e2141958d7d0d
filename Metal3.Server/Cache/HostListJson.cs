using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;
using Metal3.Contracts.Api;
using Microsoft.AspNetCore.Http.Metadata;

namespace Metal3.Server.Cache;

/// <summary>
/// A page of hosts as <see cref="HostListResponse"/>, <c>{"items":[…],"continue":…,"resourceVersion":"…"}</c>,
/// concatenated from the hosts' cached bytes.
/// </summary>
public sealed class HostListJson(IReadOnlyList<CachedHost> items, bool admin, string? continueToken, long listedAt)
    : IResult, IEndpointMetadataProvider
{
    private static readonly byte[] Open = "{\"items\":["u8.ToArray();
    private static readonly byte[] Comma = ","u8.ToArray();

    /// <summary>Beyond this many bytes the page is handed on in parts rather than buffered whole.</summary>
    private const int FlushEvery = 256 * 1024;

    public async Task ExecuteAsync(HttpContext http)
    {
        // The continue token is base64url and the version is digits: neither needs escaping.
        byte[] close = Encoding.UTF8.GetBytes(
            "],\"continue\":" + (continueToken is null ? "null" : "\"" + continueToken + "\"") +
            ",\"resourceVersion\":\"" + listedAt.ToString(CultureInfo.InvariantCulture) + "\"}");
        long length = Open.Length + close.Length + Math.Max(0, items.Count - 1);
        foreach (var item in items)
        {
            length += item.JsonFor(admin).Length;
        }
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HostJson.ContentType;
        response.ContentLength = length;
        var body = response.BodyWriter;
        body.Write(Open);
        long unflushed = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.Write(Comma);
            }
            byte[] json = items[i].JsonFor(admin);
            body.Write(json);
            unflushed += json.Length;
            if (unflushed >= FlushEvery)
            {
                await body.FlushAsync(http.RequestAborted);
                unflushed = 0;
            }
        }
        body.Write(close);
        await body.FlushAsync(http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HostListResponse), ["application/json"]));
}
