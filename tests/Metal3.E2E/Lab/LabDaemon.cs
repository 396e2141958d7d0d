namespace Metal3.E2E.Lab;

/// <summary>
/// The daemon inside the lab namespace, as on a provisioning node: DHCP (full mode), TFTP and the provisioning listener
/// on the lab bridge, its API on a Unix socket. PostgreSQL is reached the same way, through its socket directory.
/// </summary>
public static class LabDaemon
{
    public const string ProvisioningUrl = "http://198.18.0.1:8080";

    public static Task<DaemonProcess> StartAsync(string ns, string dataDir, string postgres, IEnumerable<string> settings) =>
        DaemonProcess.StartAsync(new DaemonOptions(dataDir)
        {
            NetworkNamespace = ns, Postgres = postgres, Settings = [.. settings], ReadyWithin = TimeSpan.FromSeconds(90),
        });
}
