using System.Text.Json;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Redfish.Models;
using Microsoft.Extensions.Logging;
using RedfishNic = Metal3.Drivers.Redfish.Models.EthernetInterface;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// Out-of-band inspection: the system resource plus its Processors, Memory, Storage (or SimpleStorage) and
/// EthernetInterfaces. The system itself must be readable; a sub-collection the BMC fails to serve (sushy-tools'
/// libvirt Storage answers 500) leaves that part empty rather than failing inspection.
/// </summary>
internal sealed partial class RedfishInventory(SystemLocator system, ILogger log) : IInventoryReader
{
    private RedfishClient Client => system.Client;

    public async Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var read = await system.GetAsync(deadline, ct);
        if (!read.IsOk) return read.WithoutValue();
        var sys = read.Value.System;

        var processors = await MembersAsync(sys.ProcessorsPath, Processor.From, deadline, ct);
        if (!processors.IsOk) return processors.WithoutValue();
        var memory = sys.MemoryGiB is not > 0
            ? await MembersAsync(sys.MemoryPath, MemoryModule.From, deadline, ct)
            : BmcResult<IReadOnlyList<MemoryModule>>.Ok([]);
        if (!memory.IsOk) return memory.WithoutValue();
        var storage = await StorageAsync(sys, deadline, ct);
        if (!storage.IsOk) return storage.WithoutValue();
        var nics = await MembersAsync(sys.EthernetInterfacesPath, RedfishNic.From, deadline, ct);
        if (!nics.IsOk) return nics.WithoutValue();

        return BmcResult<HardwareDetails>.Ok(new HardwareDetails
        {
            Cpu = InventoryMapping.Cpu(sys, processors.Value!),
            RamMebibytes = InventoryMapping.RamMebibytes(sys, memory.Value!),
            Storage = storage.Value!,
            // A VLAN interface repeats its parent's MAC (DMTF, AMI); one entry per MAC is what matching needs.
            Nics = nics.Value!.Select(InventoryMapping.Nic).OfType<NetworkInterface>().DistinctBy(n => n.Mac).ToList(),
            Firmware = new FirmwareDetails(null, Blank(sys.BiosVersion), null),
            SystemVendor = new SystemVendor(Blank(sys.Manufacturer), Blank(sys.Model), Blank(sys.SerialNumber)),
        });
    }

    // OpenBMC reports "" for what it does not know; an empty string is not a vendor.
    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task<BmcResult<IReadOnlyList<StorageDevice>>> StorageAsync(ComputerSystem sys, DateTimeOffset deadline, CancellationToken ct)
    {
        var devices = new List<StorageDevice>();
        var subsystems = await MembersAsync(sys.StoragePath, StorageSubsystem.From, deadline, ct);
        if (!subsystems.IsOk) return subsystems.WithoutValue();
        foreach (string drivePath in subsystems.Value!.SelectMany(s => s.Drives).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var drive = await ReadAsync(drivePath, Drive.From, deadline, ct);
            if (!drive.IsOk) return drive.WithoutValue();
            if (drive.Value is { IsPresent: true } d) devices.Add(InventoryMapping.Disk(d));
        }
        if (devices.Count > 0 || sys.SimpleStoragePath is null) return BmcResult<IReadOnlyList<StorageDevice>>.Ok(devices);

        // Older services (and the DMTF mockup) describe disks only through SimpleStorage.
        var simple = await MembersAsync(sys.SimpleStoragePath, SimpleStorage.From, deadline, ct);
        if (!simple.IsOk) return simple.WithoutValue();
        devices.AddRange(simple.Value!.SelectMany(s => s.Devices).Where(d => d.IsPresent).Select(InventoryMapping.Disk));
        return BmcResult<IReadOnlyList<StorageDevice>>.Ok(devices);
    }

    /// <summary>Every member of a collection, parsed; a collection or member the BMC will not serve is skipped.</summary>
    private async Task<BmcResult<IReadOnlyList<T>>> MembersAsync<T>(
        string? collection, Func<JsonElement, T> parse, DateTimeOffset deadline, CancellationToken ct)
    {
        var items = new List<T>();
        if (collection is null) return BmcResult<IReadOnlyList<T>>.Ok(items);
        var sent = await Client.GetAsync(collection, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var body = sent.Value!.RequireBody($"reading {collection}");
        if (!body.IsOk)
        {
            LogSkipped(log, Client.Target.Address.Host, collection, body.Message);
            return BmcResult<IReadOnlyList<T>>.Ok(items);
        }
        foreach (string member in ResourceCollection.From(body.Value).Members)
        {
            var item = await ReadAsync(member, parse, deadline, ct);
            if (!item.IsOk) return item.WithoutValue();
            if (item.Value is not null) items.Add(item.Value);
        }
        return BmcResult<IReadOnlyList<T>>.Ok(items);
    }

    // Transport failures (unreachable, wrong credentials) end the inspection; a BMC error on one member skips it.
    private async Task<BmcResult<T?>> ReadAsync<T>(string path, Func<JsonElement, T> parse, DateTimeOffset deadline, CancellationToken ct)
    {
        var sent = await Client.GetAsync(path, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var body = sent.Value!.RequireBody($"reading {path}");
        if (body.IsOk) return BmcResult<T?>.Ok(parse(body.Value));
        LogSkipped(log, Client.Target.Address.Host, path, body.Message);
        return BmcResult<T?>.Ok(default);
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Redfish {Host}: inspection skips {Path}: {Reason}")]
    private static partial void LogSkipped(ILogger log, string host, string path, string? reason);
}
