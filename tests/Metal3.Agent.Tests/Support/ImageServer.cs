using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Metal3.Agent.Tests.Support;

/// <summary>
/// A small HTTP/1.1 file server on loopback, written out so a test controls the connection: it honours
/// <c>Range: bytes=N-</c> (206), and can drop the connection after a number of body bytes for the first requests,
/// as a flaky network would.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ImageServer()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Uri Base => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Cut this many connections after <see cref="CutAfterBytes"/> body bytes.</summary>
    public int ConnectionsToCut { get; set; }
    public long CutAfterBytes { get; set; }
    public bool SupportsRanges { get; set; } = true;
    public List<string> RangesRequested { get; } = [];

    public Uri Add(string name, byte[] content)
    {
        _files[name] = content;
        return new Uri(Base, name);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            {
                head.Append((char)one[0]);
            }
            var lines = head.ToString().Split("\r\n");
            string path = lines[0].Split(' ')[1].TrimStart('/');
            if (!_files.TryGetValue(path, out byte[]? content))
            {
                await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                return;
            }
            long from = 0;
            string? range = lines.FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase));
            string status = "200 OK";
            string extra = "";
            if (range is not null)
            {
                lock (RangesRequested)
                {
                    RangesRequested.Add(range);
                }
                if (SupportsRanges)
                {
                    from = long.Parse(range.Split('=')[1].TrimEnd('-'));
                    status = "206 Partial Content";
                    extra = $"Content-Range: bytes {from}-{content.Length - 1}/{content.Length}\r\n";
                }
            }
            long length = content.Length - from;
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status}\r\nContent-Length: {length}\r\n{extra}ETag: \"v1\"\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"));
            long send = length;
            if (Interlocked.Decrement(ref _cutBudget) >= 0)
            {
                send = Math.Min(send, CutAfterBytes);
            }
            await stream.WriteAsync(content.AsMemory((int)from, (int)send));
            if (send < length)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, not a clean close
            }
        }
        catch (IOException)
        {
        }
    }

    private int _cutBudget;

    /// <summary>Arms the connection cutting (call after setting <see cref="ConnectionsToCut"/>).</summary>
    public void Arm() => _cutBudget = ConnectionsToCut;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
    }
}
