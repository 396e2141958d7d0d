using Metal3.Agent;
using Metal3.Agent.Protocol;

// The deploy agent: started by the ramdisk's init with metal3.api=<url> on the kernel command line.
// By hand: metal3-agent write <image url> <checksum> <target> runs the image writer alone (benchmarks, rescue).
if (args is ["write", var url, var checksum, var target])
{
    return await WriteCommand.RunAsync(url, checksum, target);
}
AgentSettings settings;
try
{
    settings = AgentSettings.FromEnvironment(args);
}
catch (Exception e) when (e is ArgumentException or IOException)
{
    Console.Error.WriteLine($"metal3-agent: {e.Message}");
    return 2;
}

var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
if (settings.Insecure)
{
    handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
}
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
void Log(string line) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
Log($"METAL3-AGENT started; api {settings.Api}");
try
{
    await new AgentLoop(new AgentClient(http, settings.Api), new Commands(http), Log).RunAsync(cancel.Token);
}
catch (OperationCanceledException)
{
}
return 0;
