using Metal3.Pxe.Tftp;
using Metal3.Pxe.Tests.Support;

namespace Metal3.Pxe.Tests.Tftp;

/// <summary>Our server against the real clients: tftp-hpa, atftp and curl, on loopback.</summary>
public sealed class TftpClientTests(TftpFixture tftp) : IClassFixture<TftpFixture>, IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "metal3-tftp-out-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (File.Exists(_out))
        {
            File.Delete(_out);
        }
    }

    [Fact]
    public async Task Tftp_hpa_reads_a_file_in_512_byte_blocks_without_options()
    {
        var client = Run.Require("tftp", "tftp-hpa");

        var result = await Run.Async(client, ["-m", "binary", "127.0.0.1", tftp.Port.ToString(), "-c", "get", TftpFixture.Big, _out], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(tftp.Sha256(TftpFixture.Big), TftpFixture.Sha256Of(_out));
        var report = await tftp.ReportFor(TftpFixture.Big);
        Assert.Equal((512, 1, TftpTransferOutcome.Completed), (report.BlockSize, report.WindowSize, report.Outcome));
    }

    [Fact]
    public async Task Atftp_negotiates_blksize_tsize_and_windowsize()
    {
        var client = Run.Require("atftp", "atftp");

        var result = await Run.Async(client,
            ["--trace", "--option", "blksize 1468", "--option", "tsize 0", "--option", "windowsize 8", "-g", "-r", TftpFixture.Big, "-l", _out, "127.0.0.1", tftp.Port.ToString()],
            TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(tftp.Sha256(TftpFixture.Big), TftpFixture.Sha256Of(_out));
        // The OACK the client saw (atftp --trace prints it): blksize as asked, tsize = the file's size.
        var oack = result.Output.Split('\n').Single(l => l.StartsWith("received OACK", StringComparison.Ordinal));
        Assert.Contains("blksize: 1468", oack);
        Assert.Contains($"tsize: {(3 << 20) + 17}", oack);
        Assert.Contains("windowsize: 8", oack);
        var report = await tftp.ReportFor(TftpFixture.Big);
        Assert.Equal((1468, 8, TftpTransferOutcome.Completed), (report.BlockSize, report.WindowSize, report.Outcome));
    }

    [Fact]
    public async Task A_file_that_is_an_exact_multiple_of_blksize_ends_with_an_empty_block()
    {
        var client = Run.Require("atftp", "atftp");

        var result = await Run.Async(client,
            ["--option", "blksize 1468", "-g", "-r", TftpFixture.Exact, "-l", _out, "127.0.0.1", tftp.Port.ToString()], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(tftp.Sha256(TftpFixture.Exact), TftpFixture.Sha256Of(_out));
        var report = await tftp.ReportFor(TftpFixture.Exact);
        Assert.Equal(5, report.BlocksSent);   // 4 full blocks and the empty one
    }

    [Fact]
    public async Task Curl_reads_a_file_with_its_blksize()
    {
        var client = Run.Require("curl", "curl");

        var result = await Run.Async(client, ["-sS", "--tftp-blksize", "1468", "-o", _out, $"tftp://127.0.0.1:{tftp.Port}/{TftpFixture.Small}"], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("hello from metal3\n", File.ReadAllText(_out));
        var report = await tftp.ReportFor(TftpFixture.Small);
        Assert.Equal(1468, report.BlockSize);
    }

    [Fact]
    public async Task Block_numbers_roll_over_past_65535_with_curl()
    {
        // blksize 8: the 3 MiB file is ~393,000 blocks, so the 16-bit block number wraps five times.
        var client = Run.Require("curl", "curl");

        var result = await Run.Async(client, ["-sS", "--tftp-blksize", "8", "-o", _out, $"tftp://127.0.0.1:{tftp.Port}/{TftpFixture.Big}"], TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(tftp.Sha256(TftpFixture.Big), TftpFixture.Sha256Of(_out));
    }

    [Theory]
    [InlineData("../" + "etc/passwd")]
    [InlineData("/../../etc/passwd")]
    [InlineData("dir/../../etc/passwd")]
    [InlineData("escape")]          // a symlink to a file outside the root
    [InlineData("escapedir/secret")] // a path through a symlinked directory outside the root
    [InlineData("dir")]             // a directory is not a file
    [InlineData("missing")]
    public async Task Paths_outside_the_root_are_refused_with_an_error_packet(string path)
    {
        var client = Run.Require("tftp", "tftp-hpa");

        var result = await Run.Async(client, ["-m", "binary", "127.0.0.1", tftp.Port.ToString(), "-c", "get", path, _out], TimeSpan.FromSeconds(30));

        Assert.Contains("Error code 1: file not found", result.Output);
    }

    [Fact]
    public async Task Curl_path_traversal_is_refused()
    {
        var client = Run.Require("curl", "curl");

        var result = await Run.Async(client, ["-sS", "--path-as-is", "-o", _out, $"tftp://127.0.0.1:{tftp.Port}/../../../../etc/passwd"], TimeSpan.FromSeconds(30));

        // curl 7.88 reports any TFTP ERROR as "getpeername() failed" (a curl bug); what matters is that nothing came.
        Assert.NotEqual(0, result.ExitCode);
        Assert.False(File.Exists(_out) && File.ReadAllText(_out).Contains("root:"), result.Output);

    }

    [Fact]
    public async Task A_symlink_that_stays_inside_the_root_is_served()
    {
        var client = Run.Require("tftp", "tftp-hpa");

        var result = await Run.Async(client, ["-m", "binary", "127.0.0.1", tftp.Port.ToString(), "-c", "get", "inside-link", _out], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("hello from metal3\n", File.ReadAllText(_out));
    }

    [Fact]
    public async Task Writes_are_refused_as_an_access_violation()
    {
        var client = Run.Require("tftp", "tftp-hpa");
        File.WriteAllText(_out, "upload");

        var result = await Run.Async(client, ["-m", "binary", "127.0.0.1", tftp.Port.ToString(), "-c", "put", _out, "upload"], TimeSpan.FromSeconds(30));

        Assert.Contains("Error code 2", result.Output);
        Assert.False(File.Exists(Path.Combine(tftp.Root, "upload")));
    }

    [Fact]
    public async Task Sixteen_concurrent_clients_all_get_the_right_bytes()
    {
        var client = Run.Require("atftp", "atftp");
        var outs = Enumerable.Range(0, 16).Select(i => _out + "." + i).ToArray();
        try
        {
            var runs = outs.Select(o => Run.Async(client,
                ["--option", "blksize 1468", "--option", "windowsize 4", "-g", "-r", TftpFixture.Big, "-l", o, "127.0.0.1", tftp.Port.ToString()],
                TimeSpan.FromSeconds(120)));

            var results = await Task.WhenAll(runs);

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
            Assert.All(outs, o => Assert.Equal(tftp.Sha256(TftpFixture.Big), TftpFixture.Sha256Of(o)));
        }
        finally
        {
            foreach (var o in outs)
            {
                File.Delete(o);
            }
        }
    }
}
