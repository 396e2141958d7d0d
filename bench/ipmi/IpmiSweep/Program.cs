// Power-status sweep of N BMCs on 127.0.0.1 ports [first, first+N): metal3's IPMI driver against ipmitool run once
// per host (what Ironic does), with the same parallelism, in the same run. Started by bench/ipmi/run.sh.
//   IpmiSweep <firstPort> <count> <parallelism> <user> <password>
using System.Diagnostics;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi;

int firstPort = int.Parse(args[0]), count = int.Parse(args[1]), parallelism = int.Parse(args[2]);
string user = args[3], password = args[4];
var ports = Enumerable.Range(firstPort, count).ToArray();
BmcTarget Target(int port) =>
    new(new BmcAddress(BmcDriverKind.Ipmi, "ipmi", "127.0.0.1", port, "", "", false), new BmcCredentials(user, password), false);

// Warm-up, as in a running daemon: JIT the driver with one BMC through a driver that is then disposed (closing its session).
await using (var warmup = new IpmiDriver())
{
    await warmup.Connect(Target(firstPort)).Power.GetPowerAsync(DateTimeOffset.UtcNow.AddSeconds(10), default);
}

await using var driver = new IpmiDriver(new IpmiOptions { MaxConcurrency = parallelism });
var connections = ports.Select(p => driver.Connect(Target(p)).Power).ToArray();

async Task<(TimeSpan Time, int Ok)> OursAsync()
{
    int ok = 0;
    var sw = Stopwatch.StartNew();
    var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
    var results = await Task.WhenAll(connections.Select(c => c.GetPowerAsync(deadline, default)));
    sw.Stop();
    foreach (var r in results)
    {
        if (r.IsOk) ok++; else Console.Error.WriteLine(r);
    }
    return (sw.Elapsed, ok);
}

var cold = await OursAsync();   // opens 200 sessions: Get Channel Auth Caps, cipher suites, Open Session, RAKP, privilege, status
var warm = await OursAsync();   // the steady state of the power-sync job: sessions kept, one request per BMC

int toolOk = 0;
var toolWatch = Stopwatch.StartNew();
await Parallel.ForEachAsync(ports, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (port, ct) =>
{
    var psi = new ProcessStartInfo("/usr/bin/ipmitool",
        ["-I", "lanplus", "-C", "3", "-H", "127.0.0.1", "-p", port.ToString(), "-U", user, "-P", password, "chassis", "power", "status"])
    { RedirectStandardOutput = true, RedirectStandardError = true };
    using var p = Process.Start(psi)!;
    string output = await p.StandardOutput.ReadToEndAsync(ct);
    await p.WaitForExitAsync(ct);
    if (p.ExitCode == 0 && output.Contains("Chassis Power is", StringComparison.Ordinal)) Interlocked.Increment(ref toolOk);
});
toolWatch.Stop();

Console.WriteLine($"BMCs: {count}, parallelism: {parallelism}");
Console.WriteLine($"metal3 cold (new sessions):   {cold.Time.TotalMilliseconds,8:0} ms  ({cold.Ok}/{count} ok)");
Console.WriteLine($"metal3 warm (kept sessions):  {warm.Time.TotalMilliseconds,8:0} ms  ({warm.Ok}/{count} ok)");
Console.WriteLine($"ipmitool, one per host:       {toolWatch.Elapsed.TotalMilliseconds,8:0} ms  ({toolOk}/{count} ok)");
Console.WriteLine($"ratio ipmitool / metal3 cold: {toolWatch.Elapsed / cold.Time,8:0.0}x");
Console.WriteLine($"ratio ipmitool / metal3 warm: {toolWatch.Elapsed / warm.Time,8:0.0}x");
return cold.Ok == count && warm.Ok == count && toolOk == count ? 0 : 1;
