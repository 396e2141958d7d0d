using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Metal3.Drivers.Redfish;

/// <summary>Reads an HTTP answer into a <see cref="RedfishResponse"/> without trusting its size or its content type.</summary>
internal static partial class ResponseReader
{
    public static async Task<RedfishResponse> ReadAsync(
        HttpMethod method, string path, HttpResponseMessage http, long maxBytes, DateTimeOffset now, CancellationToken ct)
    {
        (byte[] bytes, bool tooLarge) = await ReadBoundedAsync(http.Content, maxBytes, ct);
        JsonElement? body = null;
        string? problem = null;
        if (tooLarge)
        {
            problem = $"the body is larger than the {maxBytes} bytes allowed";
        }
        else if (bytes.Length > 0 && !IsBlank(bytes))
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 128 });
                body = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                problem = DescribeNonJson(bytes, http.Content.Headers.ContentType?.MediaType, e);
            }
        }
        string? etag = http.Headers.ETag?.ToString()
            ?? (http.Headers.TryGetValues("ETag", out var raw) ? raw.FirstOrDefault() : null);
        string? location = http.Headers.Location?.ToString()
            ?? (http.Content.Headers.TryGetValues("Location", out var loc) ? loc.FirstOrDefault() : null);
        string? token = http.Headers.TryGetValues("X-Auth-Token", out var t) ? t.FirstOrDefault() : null;
        return new RedfishResponse(method, path, http.StatusCode, body, problem, etag, location, RetryAfter(http, now), token);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage http, DateTimeOffset now)
    {
        var ra = http.Headers.RetryAfter;
        if (ra?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (ra?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    // Reads at most maxBytes + 1 bytes, so a BMC that streams a gigabyte costs us a few megabytes and a clear error.
    private static async Task<(byte[] Bytes, bool TooLarge)> ReadBoundedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength is { } declared && declared > maxBytes) return ([], true);
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > maxBytes) return ([], true);
        }
        return (buffer.ToArray(), false);
    }

    private static bool IsBlank(byte[] bytes) => bytes.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t');

    private static string DescribeNonJson(byte[] bytes, string? mediaType, JsonException e)
    {
        string text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        if (mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true ||
            text.TrimStart().StartsWith('<'))
        {
            var title = TitlePattern().Match(text);
            string what = title.Success ? $"titled \"{WebUtility.HtmlDecode(title.Groups[1].Value).Trim()}\"" : "without a title";
            return $"the body is an HTML page {what}, not Redfish JSON";
        }
        return $"the body is not valid JSON ({e.Message})";
    }

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitlePattern();
}
