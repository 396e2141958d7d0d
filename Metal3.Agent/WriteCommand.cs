using System.Diagnostics;
using Metal3.Agent.Imaging;
using Metal3.Core.Hosts;

namespace Metal3.Agent;

/// <summary><c>metal3-agent write URL CHECKSUM TARGET</c>: the deploy command's image writer without a daemon.</summary>
internal static class WriteCommand
{
    public static async Task<int> RunAsync(string url, string checksum, string target)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await new ImageWriter(http).WriteAsync(new ImageSpec { Url = url, Checksum = checksum }, target, null, CancellationToken.None);
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{result.BytesWritten} bytes ({result.Format}) written to {target} in {seconds:F2} s, " +
                $"{result.BytesWritten / seconds / (1 << 20):F0} MiB/s, {result.Resumes} resumes");
            return 0;
        }
        catch (Exception e) when (e is ImageException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"metal3-agent write: {e.Message}");
            return 1;
        }
    }
}
