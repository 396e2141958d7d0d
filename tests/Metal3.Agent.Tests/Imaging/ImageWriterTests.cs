using Metal3.Agent.Imaging;
using Metal3.Agent.Tests.Support;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Tests.Imaging;

public sealed class ImageWriterTests : IAsyncLifetime
{
    private readonly ImageServer _server = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<ImageFormat, bool> Formats => new()
    {
        { ImageFormat.Raw, false }, { ImageFormat.RawGz, false }, { ImageFormat.RawXz, false }, { ImageFormat.RawZst, false },
        { ImageFormat.Raw, true }, { ImageFormat.RawGz, true }, { ImageFormat.RawXz, true }, { ImageFormat.RawZst, true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_format_lands_on_the_disk_byte_for_byte(ImageFormat format, bool loopDevice)
    {
        byte[] served = TestImages.In(format);
        var url = _server.Add($"image.{format}", served);
        using var disk = TestDisk.Create(64 << 20, loopDevice);
        var reports = new List<(long, long?)>();

        // No format given: the writer recognises it by its magic bytes.
        var result = await new ImageWriter(_http).WriteAsync(Image(url, served), disk.Device, (w, t) => reports.Add((w, t)), default);

        Assert.Equal(format, result.Format);
        Assert.Equal(TestImages.Size, result.BytesWritten);
        Assert.True(disk.Read(0, TestImages.Size).AsSpan().SequenceEqual(TestImages.Raw.Value));
        Assert.True(disk.Read(TestImages.Size, 1 << 20).All(b => b == 0), "nothing written past the image");
        Assert.Equal(TestImages.Size, reports[^1].Item1);
        Assert.Equal(format == ImageFormat.Raw ? TestImages.Size : null, reports[^1].Item2);
        Assert.True(reports.Count >= TestImages.Size / ImageWriter.BufferSize, "progress is reported per buffer");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_checksum_mismatch_wipes_the_disk_and_says_so(bool loopDevice)
    {
        byte[] served = TestImages.In(ImageFormat.Raw);
        var url = _server.Add("tampered.raw", served);
        using var disk = TestDisk.Create(64 << 20, loopDevice);

        var e = await Assert.ThrowsAsync<ImageException>(() =>
            new ImageWriter(_http).WriteAsync(Image(url, served) with { Checksum = new string('0', 64) }, disk.Device, null, default));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(TestImages.Sha256(served), e.Message);
        Assert.True(disk.Read(0, DiskEraser.Span).All(b => b == 0), "the start of the disk is wiped");
        Assert.True(disk.Read((64 << 20) - DiskEraser.Span, DiskEraser.Span).All(b => b == 0), "the end of the disk is wiped");
    }

    [Theory]
    [InlineData(ImageFormat.Raw, true)]
    [InlineData(ImageFormat.RawZst, true)]
    [InlineData(ImageFormat.RawGz, false)]
    public async Task A_dropped_connection_is_resumed_and_the_image_is_still_exact(ImageFormat format, bool ranges)
    {
        byte[] served = TestImages.In(format);
        var url = _server.Add($"flaky.{format}", served);
        _server.ConnectionsToCut = 2;
        _server.CutAfterBytes = served.Length / 3;
        _server.SupportsRanges = ranges;
        _server.Arm();
        using var disk = TestDisk.Create(64 << 20, loop: false);

        var result = await new ImageWriter(_http).WriteAsync(Image(url, served), disk.Device, null, default);

        Assert.Equal(2, result.Resumes);
        Assert.Equal(2, _server.RangesRequested.Count);
        Assert.All(_server.RangesRequested, r => Assert.Matches(@"^Range: bytes=[1-9]\d*-$", r));
        Assert.True(disk.Read(0, TestImages.Size).AsSpan().SequenceEqual(TestImages.Raw.Value));
    }

    [Fact]
    public async Task The_checksum_may_be_a_url_to_a_sha256sum_file()
    {
        byte[] served = TestImages.In(ImageFormat.RawZst);
        var url = _server.Add("os.raw.zst", served);
        var sums = _server.Add("SHA256SUMS", System.Text.Encoding.ASCII.GetBytes(
            $"{new string('1', 64)}  other.raw\n{TestImages.Sha256(served)} *os.raw.zst\n"));
        using var disk = TestDisk.Create(32 << 20, loop: false);

        var result = await new ImageWriter(_http).WriteAsync(new ImageSpec { Url = url.ToString(), Checksum = sums.ToString() }, disk.Device, null, default);

        Assert.Equal(TestImages.Size, result.BytesWritten);
    }

    [Fact]
    public async Task An_image_larger_than_the_disk_fails_clearly()
    {
        byte[] served = TestImages.In(ImageFormat.RawGz);
        var url = _server.Add("big.raw.gz", served);
        using var disk = TestDisk.Create(16 << 20, loop: true);

        var e = await Assert.ThrowsAsync<ImageException>(() => new ImageWriter(_http).WriteAsync(Image(url, served), disk.Device, null, default));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public async Task A_truncated_zstd_image_is_an_error_not_a_short_disk()
    {
        byte[] whole = TestImages.In(ImageFormat.RawZst);
        byte[] truncated = whole[..(whole.Length / 2)];
        var url = _server.Add("cut.raw.zst", truncated);
        using var disk = TestDisk.Create(32 << 20, loop: false);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => new ImageWriter(_http).WriteAsync(Image(url, truncated), disk.Device, null, default));
        Assert.Contains("zstd", e.Message);
    }

    private static ImageSpec Image(Uri url, byte[] served) =>
        new() { Url = url.ToString(), Checksum = TestImages.Sha256(served), ChecksumType = ChecksumType.Sha256 };
}
