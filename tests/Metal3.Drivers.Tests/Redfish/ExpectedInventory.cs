namespace Metal3.Drivers.Tests.Redfish;

/// <summary>What each tree-shaped set's payloads say about the machine, read off the captured JSON by hand.</summary>
public sealed record ExpectedInventory(
    string? Manufacturer,
    string? Model,
    string? Serial,
    string? BiosVersion,
    int? CpuCount,
    string? CpuModel,
    long? RamMebibytes,
    string[] Macs,
    ExpectedDrive[] Drives,
    string? VirtualMediaPath)
{
    public static readonly IReadOnlyDictionary<string, ExpectedInventory> BySet = new Dictionary<string, ExpectedInventory>
    {
        // DMTF public-rackmount1: ProcessorSummary.Count 2, MemorySummary 96 GiB, SimpleStorage only (bays 3-4 Absent);
        // NIC 2's MACAddress differs from its PermanentMACAddress, and VLAN1 repeats NIC 1's MAC.
        ["dmtf-public-rackmount1"] = new("Contoso", "3500", "437XR1138R2", "P79 v1.45 (12/06/2017)", 2,
            "Multi-Core Intel(R) Xeon(R) processor 7xxx Series", 96 * 1024,
            ["12:44:6a:3b:04:11", "aa:bb:cc:dd:ee:00", "aa:bb:cc:dd:ee:fe"],
            [new("SATA Bay 1", 8_000_000_000_000, "3000GT8", null), new("SATA Bay 2", 4_000_000_000_000, "3000GT7", null)],
            "/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1"),
        // iLO 5 DL325: one EPYC 7302P, 64 GiB, four NICs, an empty Storage collection.
        ["cray-hpe-DL325"] = new("HPE", "ProLiant DL325 Gen10 Plus", "MXQ019020B", "A43 v2.52 (10/29/2021)", 1,
            "AMD EPYC 7302P 16-Core Processor", 64 * 1024,
            ["94:40:c9:5c:86:bc", "94:40:c9:5c:86:bd", "14:02:ec:d9:3a:a0", "14:02:ec:d9:3a:a1"],
            [], "/redfish/v1/Managers/1/VirtualMedia/2"),
        // iLO 5 XL675d: two EPYC 7702, 256 GiB, six NICs, one SATA SSD (bay 3 is UnavailableOffline with no data).
        ["cray-hpe-XL675d_A100"] = new("HPE", "ProLiant XL675d Gen10 Plus", "JS05NP0896", "A47 v2.58 (05/19/2022)", 2,
            "AMD EPYC 7702 64-Core Processor", 256 * 1024,
            ["98:03:9b:7f:c3:38", "98:03:9b:1e:de:fc", "b4:96:91:67:d8:e8", "b4:96:91:67:d8:e9", "b4:96:91:67:d8:ea", "b4:96:91:67:d8:eb"],
            [new("960GB 6G SATA SSD", 960_197_124_096, "VK000960GXAWL", "21122DE9C12C") { Rotational = false }],
            "/redfish/v1/Managers/1/VirtualMedia/2/"),
        // AMI MegaRAC (GIGABYTE H262-Z63-00): 244 GiB, two NIC entries share one MAC, the drive serial is space-padded.
        ["cray-hpe-Gigabyte"] = new("GIGABYTE", "H262-Z63-00", "GJG9NF512A000302", "C27", 2,
            "AMD EPYC 7702 64-Core Processor", 244 * 1024,
            ["b4:2e:99:ba:de:16", "b4:2e:99:ba:de:15"],
            [new("SAMSUNG MZ7LH1T9HMLT-00005", 2_013_667_524_608, "SAMSUNG MZ7LH1T9HMLT-00005", "S455NY0M831393")],
            "/redfish/v1/Managers/Self/VirtualMedia/CD1"),
        // Intel S2600BPB: 48 GiB, no host NICs, and its Drive links all point at an error body (no drives).
        ["cray-hpe-Intel"] = new("Intel Corporation", "S2600BPB", "QSBP74100021", "SE5C620.86B.02.01.0008.C0001.031920191559", 2,
            "Central Processor", 48 * 1024, [], [], null),
        // Stock OpenBMC: empty inventory (Count 0, 0 GiB, no NICs, empty strings), so nothing is claimed.
        ["cray-hpe-OpenBMC-stock"] = new(null, null, null, null, null, null, null, [], [], null),
        ["sushy-tools-fake-emulator/mockup"] = new("Sushy Emulator", null, null, null, null, null, null,
            ["00:5c:52:31:3a:9c"], [], "/redfish/v1/Systems/27946b59-9e44-4fa7-8e91-f3527a1ef094/VirtualMedia/Cd"),
        ["sushy-tools-libvirt-test-emulator/mockup"] = new("Sushy Emulator", null, null, "1.0.0", 2, "N/A", 8 * 1024,
            ["aa:bb:cc:dd:ee:ff"], [], "/redfish/v1/Systems/6695eb01-f6a4-8304-79aa-97f2502e193f/VirtualMedia/Cd"),
    };
}
