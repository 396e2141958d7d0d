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
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly int _maxResumes;
    private readonly TimeSpan _resumeDelay;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private EntityTagHeaderValue? _etag;
    private DateTimeOffset? _lastModified;
    private long _position;

    private ResumableHttpStream(HttpClient http, Uri url, int maxResumes, TimeSpan resumeDelay)
    {
        _http = http;
        _url = url;
        _maxResumes = maxResumes;
        _resumeDelay = resumeDelay;
    }

    /// <summary>The body's length from Content-Length, when the server sent one.</summary>
    public long? ContentLength { get; private set; }

    /// <summary>How many times the stream reconnected.</summary>
    public int Resumes { get; private set; }

    public static async Task<ResumableHttpStream> OpenAsync(HttpClient http, Uri url, CancellationToken ct, int maxResumes = 20,
        TimeSpan? resumeDelay = null)
    {
        var stream = new ResumableHttpStream(http, url, maxResumes, resumeDelay ?? TimeSpan.FromSeconds(1));
        // The first request too: the daemon serving the image may be restarting just as the deploy starts.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await stream.ConnectAsync(ct);
                break;
            }
            catch (Exception e) when (WorthRetrying(e, ct))
            {
                await stream.PauseBeforeRetryAsync(attempt, e, ct);
            }
        }
        stream.ContentLength = stream._response!.Content.Headers.ContentLength;
        stream._etag = stream._response.Headers.ETag;
        stream._lastModified = stream._response.Content.Headers.LastModified;
        return stream;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (_body is null)
                {
                    await ConnectAsync(ct);
                }
                int n = await _body!.ReadAsync(buffer, ct);
                if (n == 0 && ContentLength is { } length && _position < length)
                {
                    throw new IOException($"the connection ended after {_position} of {length} bytes");
                }
                _position += n;
                return n;
            }
            catch (Exception e) when (WorthRetrying(e, ct))
            {
                _body = null;
                await PauseBeforeRetryAsync(attempt, e, ct);
            }
        }
    }

    /// <summary>
    /// A connection that fails or breaks (the server restarting refuses connections for a while) is one more attempt,
    /// not the end of the download; a 4xx answer will not change by asking again.
    /// </summary>
    private static bool WorthRetrying(Exception e, CancellationToken ct) =>
        e is IOException or HttpRequestException && !ct.IsCancellationRequested
        && e is not HttpRequestException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError };

    private async Task PauseBeforeRetryAsync(int attempt, Exception e, CancellationToken ct)
    {
        if (attempt >= _maxResumes)
        {
            throw new IOException($"downloading {_url} failed at byte {_position} after {Resumes} resumes: {e.Message}", e);
        }
        // 1, 2, 3, 4, then 5 delays apart: the default 20 attempts ride out about 90 s of a server being away.
        await Task.Delay(_resumeDelay * Math.Min(attempt + 1, 5), ct);
        Resumes++;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private async Task ConnectAsync(CancellationToken ct)
    {
        _response?.Dispose();
        var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (_position > 0)
        {
            request.Headers.Range = new RangeHeaderValue(_position, null);
            if (_etag is { IsWeak: false })
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(_etag);
            }
            else if (_lastModified is { } modified)
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(modified);
            }
        }
        _response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (_response.StatusCode == HttpStatusCode.PartialContent && _position > 0)
        {
            _body = await _response.Content.ReadAsStreamAsync(ct);
            return;
        }
        if (!_response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {_url} answered {(int)_response.StatusCode} {_response.ReasonPhrase}", null, _response.StatusCode);
        }
        _body = await _response.Content.ReadAsStreamAsync(ct);
        // A whole body again (no range support, or the file changed and If-Range failed): skip what was delivered.
        // A changed file is then caught by the checksum.
        long skip = _position;
        byte[] scratch = new byte[64 * 1024];
        while (skip > 0)
        {
            int n = await _body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, skip)), ct);
            if (n == 0)
            {
                throw new IOException($"{_url} is shorter than the {_position} bytes already read");
            }
            skip -= n;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _response?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
