using System.Runtime.InteropServices;

namespace Metal3.Agent.Imaging;

/// <summary>
/// zstd decompression through Debian's libzstd1 (in the ramdisk already: qemu-utils needs it), several times faster than
/// the managed port; <see cref="TryCreate"/> returns null where the library is missing and the managed port is used.
/// Streaming API of zstd.h: ZSTD_createDStream, ZSTD_decompressStream(ds, &amp;out, &amp;in) until the input is used up.
/// </summary>
internal sealed partial class NativeZstdStream : Stream
{
    private const string Library = "libzstd.so.1";
    private static readonly Lazy<bool> Available = new(() => NativeLibrary.TryLoad(Library, out _));

    private readonly Stream _source;
    private readonly byte[] _input = GC.AllocateUninitializedArray<byte>(1 << 20, pinned: true);
    private nint _stream;
    private int _inputLength;
    private int _inputPosition;
    private bool _sourceDone;
    private nuint _lastHint = 1;

    private NativeZstdStream(Stream source, nint stream)
    {
        _source = source;
        _stream = stream;
    }

    public static Stream? TryCreate(Stream source)
    {
        if (!Available.Value)
        {
            return null;
        }
        nint ds = ZSTD_createDStream();
        if (ds == 0)
        {
            return null;
        }
        ZSTD_initDStream(ds);
        return new NativeZstdStream(source, ds);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (true)
        {
            if (_inputPosition == _inputLength && !_sourceDone)
            {
                _inputLength = await _source.ReadAsync(_input, ct);
                _inputPosition = 0;
                _sourceDone = _inputLength == 0;
            }
            int produced = Decompress(buffer.Span);
            if (produced > 0)
            {
                return produced;
            }
            if (_sourceDone && _inputPosition == _inputLength)
            {
                // ZSTD_decompressStream returns 0 when a frame is complete; anything else means the input was cut short.
                return _lastHint == 0 ? 0 : throw new InvalidDataException("the zstd image ends in the middle of a frame");
            }
        }
    }

    private unsafe int Decompress(Span<byte> destination)
    {
        fixed (byte* inPtr = _input)
        fixed (byte* outPtr = destination)
        {
            var inBuf = new Buffer { Data = inPtr, Size = (nuint)_inputLength, Position = (nuint)_inputPosition };
            var outBuf = new Buffer { Data = outPtr, Size = (nuint)destination.Length, Position = 0 };
            nuint hint = ZSTD_decompressStream(_stream, &outBuf, &inBuf);
            if (ZSTD_isError(hint) != 0)
            {
                throw new InvalidDataException($"zstd: {Marshal.PtrToStringAnsi(ZSTD_getErrorName(hint))}");
            }
            // A call with nothing to consume and nothing to give back only starts looking for a next frame: keep the
            // hint of the call that did the work (0 = the frame ended cleanly).
            if (inBuf.Position != (nuint)_inputPosition || outBuf.Position > 0)
            {
                _lastHint = hint;
            }
            _inputPosition = (int)inBuf.Position;
            return (int)outBuf.Position;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (_stream != 0)
        {
            ZSTD_freeDStream(_stream);
            _stream = 0;
        }
        base.Dispose(disposing);
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Buffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(Library)]
    private static partial nint ZSTD_createDStream();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_initDStream(nint ds);

    [LibraryImport(Library)]
    private static unsafe partial nuint ZSTD_decompressStream(nint ds, Buffer* output, Buffer* input);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_freeDStream(nint ds);

    [LibraryImport(Library)]
    private static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    private static partial nint ZSTD_getErrorName(nuint code);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
