using System.Net;
using System.Net.Http.Headers;

namespace Metal3.Agent.Imaging;

/// <summary>
/// The body of an HTTP GET that survives dropped connections: when a read fails part-way, it asks again for the rest
/// with <c>Range: bytes=N-</c> (RFC 9110 §14.2), guarded by <c>If-Range</c> so a changed file is not spliced onto the old
/// one. A server that ignores ranges (200) is read from the start again and the bytes already delivered are skipped.
/// </summary>
public sealed class ResumableHttpStream : Stream
{
    private readonly HttpClient http;
    private readonly Uri url;
    private readonly int maxResumes;
    private readonly TimeSpan resumeDelay;
    private HttpResponseMessage? response;
    private Stream? body;
    private EntityTagHeaderValue? etag;
    private DateTimeOffset? lastModified;
    private long position;

    private ResumableHttpStream(HttpClient http, Uri url, int maxResumes, TimeSpan resumeDelay)
    {
        this.http = http;
        this.url = url;
        this.maxResumes = maxResumes;
        this.resumeDelay = resumeDelay;
    }

    /// <summary>The body's length from Content-Length, when the server sent one.</summary>
    public long? ContentLength { get; private set; }

    /// <summary>How many times the stream reconnected.</summary>
    public int Resumes { get; private set; }

    public static async Task<ResumableHttpStream> OpenAsync(HttpClient http, Uri url, CancellationToken ct, int maxResumes = 20,
        TimeSpan? resumeDelay = null)
    {
        var stream = new ResumableHttpStream(http, url, maxResumes, resumeDelay ?? TimeSpan.FromSeconds(1));
        await stream.ConnectAsync(ct);
        stream.ContentLength = stream.response!.Content.Headers.ContentLength;
        stream.etag = stream.response.Headers.ETag;
        stream.lastModified = stream.response.Content.Headers.LastModified;
        return stream;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (body is null)
                {
                    await ConnectAsync(ct);
                }
                int n = await body!.ReadAsync(buffer, ct);
                if (n == 0 && ContentLength is { } length && position < length)
                {
                    throw new IOException($"the connection ended after {position} of {length} bytes");
                }
                position += n;
                return n;
            }
            // A reconnect that fails (the server restarting refuses connections for a while) is one more attempt, not
            // the end of the download; a 4xx answer will not change by asking again.
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested
                                      && e is not HttpRequestException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError })
            {
                if (attempt >= maxResumes)
                {
                    throw new IOException($"downloading {url} failed at byte {position} after {Resumes} resumes: {e.Message}", e);
                }
                body = null;
                // 1, 2, 3, 4, then 5 delays apart: the default 20 attempts ride out about 90 s of a server being away.
                await Task.Delay(resumeDelay * Math.Min(attempt + 1, 5), ct);
                Resumes++;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private async Task ConnectAsync(CancellationToken ct)
    {
        response?.Dispose();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (position > 0)
        {
            request.Headers.Range = new RangeHeaderValue(position, null);
            if (etag is { IsWeak: false })
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(etag);
            }
            else if (lastModified is { } modified)
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(modified);
            }
        }
        response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.PartialContent && position > 0)
        {
            body = await response.Content.ReadAsStreamAsync(ct);
            return;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
        body = await response.Content.ReadAsStreamAsync(ct);
        // A whole body again (no range support, or the file changed and If-Range failed): skip what was delivered.
        // A changed file is then caught by the checksum.
        long skip = position;
        byte[] scratch = new byte[64 * 1024];
        while (skip > 0)
        {
            int n = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, skip)), ct);
            if (n == 0)
            {
                throw new IOException($"{url} is shorter than the {position} bytes already read");
            }
            skip -= n;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            response?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
