using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Cli.Tests.Output;

/// <summary><c>hosts describe</c>'s text, from a host and its events as the daemon returns them.</summary>
public class HostDescriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_inspected_host_in_error_shows_its_hardware_error_time_in_state_and_newest_events_first()
    {
        var host = Host() with
        {
            Status = new HostStatus
            {
                Provisioning = new ProvisioningStatus { State = ProvisioningState.Provisioning },
                OperationalStatus = OperationalStatus.Error,
                ErrorType = ErrorType.Provisioning,
                ErrorMessage = "writing the image failed",
                ErrorCount = 3,
                PoweredOn = true,
                GoodCredentials = true,
                Hardware = new HardwareDetails
                {
                    Cpu = new CpuDetails { Count = 4, Model = "Xeon", ClockMegahertz = 2400, Arch = "x86_64" },
                    RamMebibytes = 16384,
                    Storage = [new StorageDevice { Name = "/dev/sda", SizeBytes = 480L << 30, Rotational = false, Model = "SSD1" }],
                    Nics = [new NetworkInterface { Name = "eno1", Mac = "52:54:00:00:00:01", Link = true, SpeedGbps = 10 }],
                },
                OperationHistory = new OperationHistory
                {
                    Register = new OperationMetric { Start = Now.AddMinutes(-30), End = Now.AddMinutes(-29) },
                    Provision = new OperationMetric { Start = Now.AddMinutes(-5) },
                },
            },
        };
        HostEventResponse[] events =
        [
            new(1, Now.AddMinutes(-30), "Normal", "Registered", "credentials accepted", "registering", "inspecting"),
            new(2, Now.AddMinutes(-5), "Normal", "ProvisioningStarted", "image requested", "available", "provisioning"),
            new(3, Now.AddMinutes(-1), "Warning", "ProvisioningFailed", "writing the image failed", null, null),
        ];

        string[] lines = HostDescription.Render(host, events, Now).Split('\n');

        Assert.Contains("State:        provisioning for 5m (since 2026-12-07 11:55:00Z)", lines);
        Assert.Contains("Error:        provisioning error (3 times in a row): writing the image failed", lines);
        Assert.Contains("  cpu      4 × Xeon @ 2400 MHz, x86_64", lines);
        Assert.Contains("  memory   16384 MiB", lines);
        Assert.Contains("  disk     /dev/sda 480 GiB SSD SSD1", lines);
        Assert.Contains("  nic      eno1 52:54:00:00:00:01 link up 10 Gb/s", lines);
        Assert.Contains("  register    2026-12-07 11:30:00Z, took 60s", lines);
        Assert.Contains("  provision   started 5m ago, running", lines);
        Assert.Contains("Events (newest 3 of 3):", lines);
        int header = Array.IndexOf(lines, "Events (newest 3 of 3):");
        Assert.Contains("ProvisioningFailed", lines[header + 2], StringComparison.Ordinal);
        Assert.Contains("Registered", lines[header + 4], StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_host_says_what_it_does_not_have_yet_and_shows_at_most_the_newest_ten_events()
    {
        var events = Enumerable.Range(1, 25).Select(i => new HostEventResponse(i, Now.AddSeconds(-100 + i), "Normal", $"R{i}", "m", null, null)).ToList();

        string[] lines = HostDescription.Render(Host(), events, Now).Split('\n');

        Assert.Contains("Error:        <none>", lines);
        Assert.Contains("Image:        <none>", lines);
        Assert.Contains("  <not inspected>", lines);
        Assert.Contains("Events (newest 10 of 25):", lines);
        Assert.Contains(lines, l => l.Contains(" R25 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" R15 ", StringComparison.Ordinal));
    }

    private static HostResponse Host() => new()
    {
        Name = "h-0",
        Labels = new Dictionary<string, string> { ["rack"] = "r1" },
        Bmc = new BmcResponse("ipmi://10.0.0.1", "admin", CredentialsSet: true, DisableCertificateVerification: false),
        ResourceVersion = "1",
        CreatedAt = Now.AddHours(-1),
        Status = new HostStatus(),
    };
}
