using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Core.Json;
using Metal3.Server.Hosting;

namespace Metal3.Server.Api;

/// <summary>
/// Reads request bodies so that every way a body can be wrong is a clear 4xx: wrong media type (415),
/// too large (413), not JSON or not the expected shape (400, naming the JSON path). Never a 500.
/// </summary>
public static class JsonBody
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Unknown fields are errors: a typo such as <c>bootMacAdress</c> must not be silently dropped.</summary>
    public static readonly JsonSerializerOptions Strict = new(Metal3Json.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
            Contracts.Api.ApiJsonContext.Default, Metal3Json.Options.TypeInfoResolver),
    };

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, string mediaType, CancellationToken ct)
        where T : class
    {
        var (node, error) = await ReadNodeAsync(request, mediaType, ct);
        if (error is not null)
        {
            return (null, error);
        }
        var (value, unknown, bindError) = Bind<T>(node!);
        return (value, bindError ?? Problem(unknown, null));
    }

    /// <summary>
    /// Binds a body to <typeparamref name="T"/>. Unknown fields do not stop binding: they come back in
    /// <c>Unknown</c>, so that the caller reports them with the validation errors. A value of the wrong type is an error.
    /// </summary>
    public static (T? Value, List<string> Unknown, IResult? Error) Bind<T>(JsonNode node) where T : class
    {
        var unknown = UnknownFields.Find(node, typeof(T));
        try
        {
            var value = node.Deserialize<T>(unknown.Count == 0 ? Strict : Lenient);
            return value is null ? (null, unknown, Problems.BadRequest("the body must be a JSON object")) : (value, unknown, null);
        }
        catch (JsonException e)
        {
            return (null, unknown, Problems.Invalid(FieldOf(e.Path), Describe(e)));
        }
    }

    private static readonly JsonSerializerOptions Lenient = new(Strict)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Unknown fields and validation failures, all in one problem; null when there are none.</summary>
    public static IResult? Problem(List<string> unknown, FluentValidation.Results.ValidationResult? validation)
    {
        var errors = Problems.ErrorsOf(validation);
        foreach (string field in unknown)
        {
            errors[field] = ["unknown field"];
        }
        return errors.Count == 0 ? null : Problems.Invalid(errors);
    }

    public static async Task<(JsonNode? Node, IResult? Error)> ReadNodeAsync(HttpRequest request, string mediaType, CancellationToken ct)
    {
        if (!HasMediaType(request, mediaType))
        {
            return (null, Problems.UnsupportedMediaType($"send the body as {mediaType}"));
        }
        long limit = request.HttpContext.RequestServices.GetRequiredService<Metal3Options>().Api.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }
        try
        {
            // Kestrel enforces the same limit on the socket; this also covers chunked bodies and in-process hosts.
            byte[]? body = await ReadLimitedAsync(request.Body, limit, ct);
            if (body is null)
            {
                return (null, TooLarge(limit));
            }
            var node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            if (node is not JsonObject)
            {
                return (null, Problems.BadRequest("the body must be a JSON object"));
            }
            return (node, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"the body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }
    }

    private static IResult TooLarge(long limit) =>
        Problems.TooLarge($"the body exceeds {limit} bytes (Metal3:Api:MaxBodyBytes)");

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static bool HasMediaType(HttpRequest request, string mediaType)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return false;
        }
        return Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
            && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"$.bmc.address" → "bmc.address"; the root is reported as "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Describe(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "unknown field"
            : "has the wrong type for this field";
}
