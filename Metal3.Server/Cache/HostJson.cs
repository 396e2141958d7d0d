using System.Reflection;
using Metal3.Contracts.Api;
using Metal3.Server.Api;
using Microsoft.AspNetCore.Http.Metadata;

namespace Metal3.Server.Cache;

/// <summary>
/// One host written from its cached bytes (one copy, no serializing), with its ETag and, for 201/202, its Location.
/// The bytes are a <see cref="HostResponse"/> as the API's JSON options write it; the OpenAPI document says so.
/// </summary>
public sealed class HostJson(CachedHost host, bool admin, int status = StatusCodes.Status200OK, string? location = null)
    : IResult, IEndpointMetadataProvider
{
    internal const string ContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext http)
    {
        byte[] json = host.JsonFor(admin);
        var response = http.Response;
        response.StatusCode = status;
        response.Headers.ETag = ETags.Of(host.ResourceVersion);
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        response.ContentType = ContentType;
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HostResponse), ["application/json"]));
}
