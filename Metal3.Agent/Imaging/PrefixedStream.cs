namespace Metal3.Agent.Imaging;

/// <summary>A few bytes already read (to sniff the format), then the rest of the stream.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> _remaining = prefix;
    private long _consumed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining.Length > 0)
        {
            int n = Math.Min(buffer.Length, _remaining.Length);
            _remaining[..n].CopyTo(buffer);
            _remaining = _remaining[n..];
            _consumed += n;
            return n;
        }
        int read = await rest.ReadAsync(buffer, ct);
        _consumed += read;
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_remaining.Length > 0)
        {
            int n = Math.Min(buffer.Length, _remaining.Length);
            _remaining.Span[..n].CopyTo(buffer);
            _remaining = _remaining[n..];
            _consumed += n;
            return n;
        }
        int read = rest.Read(buffer);
        _consumed += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    /// <summary>Bytes read so far (SharpCompress's xz reader uses it to find block padding).</summary>
    public override long Position { get => _consumed; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
