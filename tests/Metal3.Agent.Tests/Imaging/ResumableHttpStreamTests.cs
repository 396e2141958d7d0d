using System.Net;
using System.Net.Sockets;
using System.Text;
using Metal3.Agent.Imaging;

namespace Metal3.Agent.Tests.Imaging;

/// <summary>The image download's first request, when the daemon that serves it is restarting.</summary>
public sealed class ResumableHttpStreamTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_server_that_refuses_connections_at_first_is_asked_again_until_it_answers()
    {
        int port = FreePort.Tcp();
        using var http = new HttpClient();

        var opening = ResumableHttpStream.OpenAsync(http, new Uri($"http://127.0.0.1:{port}/disk.raw"), default, resumeDelay: Pause);
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        Assert.False(opening.IsCompleted);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var serving = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nimage");

        await using var stream = await opening;
        using var body = new MemoryStream();
        await stream.CopyToAsync(body);
        await serving;

        Assert.Equal("image", Encoding.ASCII.GetString(body.ToArray()));
        Assert.InRange(stream.Resumes, 1, 5);
    }

    [Fact]
    public async Task A_404_at_the_first_request_fails_at_once()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = AnswerOnceAsync(listener, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() =>
            ResumableHttpStream.OpenAsync(http, new Uri($"http://127.0.0.1:{port}/missing.raw"), default, resumeDelay: Pause));
        await serving;

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new byte[4096];
        int read = 0;
        while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            read += await stream.ReadAsync(request.AsMemory(read));
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
    }
}
