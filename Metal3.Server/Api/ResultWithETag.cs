using FluentValidation;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Api;

/// <summary>Adds the host's ETag to another result.</summary>
internal sealed class ResultWithETag(IResult inner, long resourceVersion) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.ETag = ETags.Of(resourceVersion);
        return inner.ExecuteAsync(httpContext);
    }
}
