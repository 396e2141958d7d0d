using System.Net;
using System.Text.Json;
using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// What a BMC answered, already read and parsed. <see cref="BodyProblem"/> is set when there was a body but it
/// was not JSON (an HTML error page, a truncated document), so callers can report it instead of crashing on it.
/// </summary>
internal sealed class RedfishResponse(
    HttpMethod method, string path, HttpStatusCode status, JsonElement? body, string? bodyProblem,
    string? etag, string? location, TimeSpan? retryAfter, string? authToken)
{
    public HttpMethod Method { get; } = method;
    public string Path { get; } = path;
    public HttpStatusCode Status { get; } = status;
    public int Code => (int)Status;
    public JsonElement? Body { get; } = body;
    public string? BodyProblem { get; } = bodyProblem;
    /// <summary>The <c>ETag</c> header, else the body's <c>@odata.etag</c>.</summary>
    public string? ETag { get; } = etag ?? body?.Str("@odata.etag");
    public string? Location { get; } = location;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public string? AuthToken { get; } = authToken;

    public bool IsSuccess => Code is >= 200 and < 300;

    public RedfishError? Error => Body is { } b ? RedfishError.From(b) : null;

    /// <summary>"HTTP 400 Bad Request: the message" — the Redfish message when there is one, else what the body was.</summary>
    public string Describe()
    {
        string head = $"HTTP {Code} {Status}";
        if (Error?.Describe() is { Length: > 0 } message) return $"{head}: {message}";
        if (BodyProblem is not null) return $"{head}: {BodyProblem}";
        return head;
    }

    /// <summary>This answer as a failure of <paramref name="what"/>.</summary>
    public BmcResult Failure(string what) =>
        BmcResult.Fail(BmcOutcome.BmcError, $"{what} ({Method} {Path}): {Describe()}");

    /// <summary>The JSON body of a successful answer, or a failure that says why there is none.</summary>
    public BmcResult<JsonElement> RequireBody(string what)
    {
        if (!IsSuccess) return Failure(what);
        if (Body is { ValueKind: JsonValueKind.Object } b)
        {
            // Intel's BMC answers some missing resources with 200 and an error envelope instead of a resource.
            if (b.Obj("error") is not null && !b.Has("@odata.id")) return Failure(what);
            return BmcResult<JsonElement>.Ok(b);
        }
        string why = BodyProblem ?? (Body is null ? "the body is empty" : $"the body is a JSON {Body.Value.ValueKind}, not an object");
        return BmcResult.Fail(BmcOutcome.BmcError, $"{what} ({Method} {Path}): the BMC answered {Code} but {why}");
    }
}
