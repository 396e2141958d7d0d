using System.CommandLine;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Commands;

/// <summary>The hardware minimums a claim or a host set asks of its hosts, as options.</summary>
public sealed class HardwareOptions
{
    public Option<int?> MinCpus { get; } = new("--min-cpus") { Description = "At least this many CPUs, as inspected" };
    public Option<long?> MinMemory { get; } = new("--min-memory-mib") { Description = "At least this much memory, in MiB" };
    public Option<long?> MinDisk { get; } = new("--min-disk-gib") { Description = "A disk of at least this size, in GiB" };

    /// <summary>The body's <c>hardware</c> object, or null when no minimum was given.</summary>
    public JsonObject? Read(ParseResult r)
    {
        var hardware = new JsonObject();
        if (r.GetValue(MinCpus) is { } cpus)
        {
            hardware["minCpus"] = cpus;
        }
        if (r.GetValue(MinMemory) is { } memory)
        {
            hardware["minMemoryMiB"] = memory;
        }
        if (r.GetValue(MinDisk) is { } disk)
        {
            hardware["minDiskGiB"] = disk;
        }
        return hardware.Count > 0 ? hardware : null;
    }
}
