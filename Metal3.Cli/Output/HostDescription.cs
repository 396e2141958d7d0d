using System.Globalization;
using System.Text;
using Metal3.Cli.Api;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;

namespace Metal3.Cli.Output;

/// <summary>
/// <c>hosts describe</c>: one host for a person asking "what is it doing, and why": spec and status side by side, the
/// hardware in a line each, the last error, how long it has been in its state, and its newest events.
/// </summary>
public static class HostDescription
{
    /// <summary>How many of the newest events are shown.</summary>
    public const int NewestEvents = 10;

    public static string Render(HostResponse host, IReadOnlyList<HostEventResponse> events, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var status = host.Status;
        string state = HostColumns.State(host);
        Field(text, "Name", host.Name);
        Field(text, "Labels", host.Labels.Count == 0 ? "<none>" : string.Join(',', host.Labels.Select(l => $"{l.Key}={l.Value}")));
        Field(text, "Created", $"{Time(host.CreatedAt)} ({HostColumns.Age(now - host.CreatedAt)} ago)");
        Field(text, "State", InState(state, events, now));
        if (status.Provisioning.Progress is not null)
        {
            Field(text, "Progress", HostColumns.Progress(host));
        }
        Field(text, "Operational", OpenEnums.NameOf(status.OperationalStatus));
        Field(text, "Online", $"{(host.Online ? "true" : "false")} (power {(status.PoweredOn ? "on" : "off")})");
        Field(text, "Consumer", host.ConsumerRef ?? "<none>");
        Field(text, "BMC", $"{host.Bmc.Address} (credentials {(status.GoodCredentials ? "accepted" : "not yet accepted")})");
        Field(text, "Boot", $"{host.BootMacAddress ?? "<no boot MAC>"}, {OpenEnums.NameOf(host.BootMode)}");
        Field(text, "Image", host.Image is { } image ? $"{image.Url} ({OpenEnums.NameOf(image.ChecksumType)} {Short(image.Checksum)})" : "<none>");
        if (host.DeletionRequestedAt is { } deleting)
        {
            Field(text, "Deleting", $"requested {HostColumns.Age(now - deleting)} ago");
        }
        Field(text, "Error", status.ErrorType is { } error
            ? $"{OpenEnums.NameOf(error)} ({Times(status.ErrorCount)} in a row): {status.ErrorMessage}"
            : "<none>");
        text.Append("Hardware:\n");
        foreach (string line in Hardware(status.Hardware))
        {
            text.Append("  ").Append(line).Append('\n');
        }
        text.Append("Operations:\n");
        foreach (var (name, metric) in new[]
        {
            ("register", status.OperationHistory.Register), ("inspect", status.OperationHistory.Inspect),
            ("provision", status.OperationHistory.Provision), ("deprovision", status.OperationHistory.Deprovision),
        })
        {
            text.Append("  ").Append(name.PadRight(12)).Append(Operation(metric, now)).Append('\n');
        }
        var newest = events.OrderByDescending(e => e.Id).Take(NewestEvents).ToList();
        text.Append(CultureInfo.InvariantCulture, $"Events (newest {newest.Count} of {events.Count}):\n");
        if (newest.Count == 0)
        {
            text.Append("  <none>\n");
        }
        else
        {
            var table = new TextTable(["AGE", "TYPE", "REASON", "MESSAGE"]);
            foreach (var e in newest)
            {
                table.Add([HostColumns.Age(now - e.Time), e.Type, e.Reason, e.Message]);
            }
            foreach (string line in table.ToString().TrimEnd('\n').Split('\n'))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The state and how long the host has been in it: since the newest event that moved it there.</summary>
    private static string InState(string state, IReadOnlyList<HostEventResponse> events, DateTimeOffset now)
    {
        var entered = events.Where(e => e.ToState == state).MaxBy(e => e.Id);
        return entered is null ? state : $"{state} for {HostColumns.Age(now - entered.Time)} (since {Time(entered.Time)})";
    }

    private static IEnumerable<string> Hardware(HardwareDetails? hardware)
    {
        if (hardware is null)
        {
            yield return "<not inspected>";
            yield break;
        }
        if (hardware.SystemVendor is { } vendor)
        {
            yield return $"system   {Join(vendor.Manufacturer, vendor.ProductName)}{(vendor.SerialNumber is { } serial ? $" (serial {serial})" : "")}";
        }
        if (hardware.Cpu is { } cpu)
        {
            string clock = cpu.ClockMegahertz is { } mhz ? $" @ {mhz.ToString("0", CultureInfo.InvariantCulture)} MHz" : "";
            yield return $"cpu      {cpu.Count} × {cpu.Model ?? "?"}{clock}{(cpu.Arch is { } arch ? $", {arch}" : "")}";
        }
        if (hardware.RamMebibytes is { } ram)
        {
            yield return $"memory   {ram.ToString(CultureInfo.InvariantCulture)} MiB";
        }
        foreach (var disk in hardware.Storage)
        {
            string kind = disk.Rotational switch { true => "HDD", false => "SSD", null => "disk" };
            yield return $"disk     {disk.Name} {Gib(disk.SizeBytes)} {kind}{(Join(disk.Vendor, disk.Model) is { Length: > 0 } model ? $" {model}" : "")}";
        }
        foreach (var nic in hardware.Nics)
        {
            string link = nic.Link switch { true => "link up", false => "no link", null => "link ?" };
            string speed = nic.SpeedGbps is { } gbps ? $" {gbps} Gb/s" : "";
            yield return $"nic      {nic.Name} {nic.Mac} {link}{speed}{(nic.Ip is { } ip ? $" {ip}" : "")}";
        }
        if (hardware.Firmware is { } firmware)
        {
            yield return $"firmware {Join(firmware.BiosVendor, firmware.BiosVersion, firmware.BiosDate)}";
        }
    }

    private static string Operation(OperationMetric metric, DateTimeOffset now) => (metric.Start, metric.End) switch
    {
        (null, _) => "-",
        ({ } start, null) => $"started {HostColumns.Age(now - start)} ago, running",
        ({ } start, { } end) when end >= start => $"{Time(start)}, took {HostColumns.Age(end - start)}",
        ({ } start, _) => $"started {HostColumns.Age(now - start)} ago, running (the last run ended before it)",
    };

    private static void Field(StringBuilder text, string name, string value) =>
        text.Append((name + ":").PadRight(14)).Append(value).Append('\n');

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Times(int count) => count == 1 ? "once" : $"{count} times";

    private static string Short(string checksum) => checksum.Length > 16 ? checksum[..16] + "…" : checksum;

    private static string Gib(long bytes) => $"{(bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} GiB";

    private static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
