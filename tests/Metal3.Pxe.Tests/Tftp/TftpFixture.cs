using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Metal3.Pxe.Tftp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Pxe.Tests.Tftp;

/// <summary>A TFTP server on 127.0.0.1 (an ephemeral port) over a temporary root with known files.</summary>
public sealed class TftpFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "metal3-tftp-" + Guid.NewGuid().ToString("N"));
    public string Outside { get; } = Path.Combine(Path.GetTempPath(), "metal3-tftp-outside-" + Guid.NewGuid().ToString("N"));
    public TftpServer Server { get; private set; } = null!;
    public int Port => Server.LocalEndPoint.Port;
    public ConcurrentQueue<TftpTransferReport> Reports { get; } = new();

    /// <summary>3 MiB + 17 bytes of random data: many blocks at any blksize, and the 16-bit block number wraps at 512.</summary>
    public const string Big = "big.bin";
    /// <summary>Exactly 4 × 1468 bytes: the transfer must end with an empty DATA block (RFC 1350 §6).</summary>
    public const string Exact = "exact.bin";
    public const string Small = "dir/small.txt";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "dir"));
        Directory.CreateDirectory(Outside);
        await File.WriteAllBytesAsync(Path.Combine(Root, Big), RandomNumberGenerator.GetBytes((3 << 20) + 17));
        await File.WriteAllBytesAsync(Path.Combine(Root, Exact), RandomNumberGenerator.GetBytes(4 * 1468));
        await File.WriteAllTextAsync(Path.Combine(Root, Small), "hello from metal3\n");
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret"), "not for tftp\n");
        File.CreateSymbolicLink(Path.Combine(Root, "escape"), Path.Combine(Outside, "secret"));
        File.CreateSymbolicLink(Path.Combine(Root, "escapedir"), Outside);
        File.CreateSymbolicLink(Path.Combine(Root, "inside-link"), Path.Combine(Root, Small));
        // Every client here is 127.0.0.1, and the tests run 16 at once: the per-address cap is not what they test
        // (TftpAbuseTests does, with the default).
        Server = new TftpServer(new TftpOptions { Root = Root, Port = 0, TimeoutSeconds = 1, MaxSessionsPerClient = 64 }, IPAddress.Loopback, null,
            new PxeMetrics(), NullLogger<TftpServer>.Instance);
        Server.TransferCompleted += Reports.Enqueue;
        await Server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
    }

    public string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Root, file))));

    public static string Sha256Of(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The report of the most recent transfer of <paramref name="file"/>, once it has ended.</summary>
    public async Task<TftpTransferReport> ReportFor(string file, int? clientPort = null)
    {
        TftpTransferReport? found = null;
        await Eventually.Until(
            () => (found = Reports.LastOrDefault(r => r.File.TrimStart('/') == file && (clientPort is null || r.Client.Port == clientPort))) is not null,
            TimeSpan.FromSeconds(10), "transfer report of " + file);
        return found!;
    }
}
