using Metal3.Cli.Api;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Output;

/// <summary>The columns of <c>hosts list</c>, after <c>kubectl get baremetalhosts</c>, read from a host as GET returns it.</summary>
public static class HostColumns
{
    public static readonly string[] Narrow = ["NAME", "STATE", "CONSUMER", "ONLINE", "POWER", "BMC", "ERROR", "AGE"];
    public static readonly string[] Wide = [.. Narrow, "OPERATIONAL", "BOOT MAC", "IMAGE", "PROGRESS", "LABELS"];

    public static string[] Row(HostResponse host, bool wide, DateTimeOffset now)
    {
        // The daemon writes every field of a host it has loaded. One without a status is a name only (a DELETED watch
        // event for a host it never loaded): its other cells are empty, not the defaults (false, off) of absent fields.
        var status = host.Status;
        string[] narrow =
        [
            host.Name ?? "",
            State(host),
            host.ConsumerRef ?? "",
            status is null ? "" : Bool(host.Online),
            status is null ? "" : status.PoweredOn ? "on" : "off",
            host.Bmc?.Address ?? "",
            status?.ErrorType is { } error ? OpenEnums.NameOf(error) : "",
            host.CreatedAt == default ? "" : Age(now - host.CreatedAt),
        ];
        if (!wide)
        {
            return narrow;
        }
        return
        [
            .. narrow,
            status is null ? "" : OpenEnums.NameOf(status.OperationalStatus),
            host.BootMacAddress ?? "",
            host.Image?.Url ?? "",
            Progress(host),
            host.Labels is { } labels ? string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")) : "",
        ];
    }

    /// <summary>The provisioning state by its wire name (one this build does not know, as the daemon sent it).</summary>
    public static string State(HostResponse host) =>
        host.Status?.Provisioning is { } provisioning ? OpenEnums.NameOf(provisioning.State) : "";

    /// <summary>kubectl's age: seconds up to two minutes, minutes up to two hours, hours up to two days, then days.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private static string Bool(bool value) => value ? "true" : "false";

    public static string Progress(HostResponse host)
    {
        if (host.Status?.Provisioning?.Progress is not { } progress)
        {
            return "";
        }
        return progress.BytesTotal is long total and > 0 ? $"{100.0 * progress.BytesWritten / total:0}%" : Bytes(progress.BytesWritten);
    }

    private static string Bytes(long n) =>
        n >= 1L << 30 ? $"{n / (double)(1L << 30):0.0}GiB" : n >= 1L << 20 ? $"{n / (double)(1L << 20):0.0}MiB" : $"{n}B";
}
