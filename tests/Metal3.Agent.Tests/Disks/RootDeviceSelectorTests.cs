using Metal3.Agent.Disks;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Tests.Disks;

public sealed class RootDeviceSelectorTests
{
    private const long GiB = 1L << 30;

    private static readonly StorageDevice[] Disks =
    [
        new() { Name = "/dev/sda", SizeBytes = 480 * GiB, Rotational = false, Model = "Micron_5300_MTFDDAK480TDS", Vendor = "ATA",
            SerialNumber = "MSA1", Wwn = "0x500a0751e1a2b3c4", Hctl = "0:0:0:0", ByPath = "/dev/disk/by-path/pci-0000:00:17.0-ata-1" },
        new() { Name = "/dev/sdb", SizeBytes = 4000 * GiB, Rotational = true, Model = "ST4000NM0035-1V4107", Vendor = "SEAGATE",
            SerialNumber = "ZC1", Wwn = "0x5000c500b1c2d3e4", Hctl = "1:0:0:0", ByPath = "/dev/disk/by-path/pci-0000:00:17.0-ata-2" },
        new() { Name = "/dev/sdc", SizeBytes = 2 * GiB, Rotational = false, Model = "Flash Drive", Vendor = "SanDisk",
            SerialNumber = "USB1", Hctl = "6:0:0:0" },
        new() { Name = "/dev/nvme0n1", SizeBytes = 960 * GiB, Rotational = false, Model = "SAMSUNG MZQL2960HCJR-00A07",
            SerialNumber = "S64F", Wwn = "eui.0025388b91b6c3f1", ByPath = "/dev/disk/by-path/pci-0000:41:00.0-nvme-1" },
    ];

    public static TheoryData<RootDeviceHints?, string> Choices => new()
    {
        { null, "/dev/sda" },                                                         // no hints: smallest of at least 4 GiB (not the 2 GiB stick)
        { new RootDeviceHints(), "/dev/sda" },                                        // empty hints are no hints
        { new RootDeviceHints { DeviceName = "/dev/sdb" }, "/dev/sdb" },
        { new RootDeviceHints { DeviceName = "sdb" }, "/dev/sdb" },                   // a bare kernel name
        { new RootDeviceHints { DeviceName = "/dev/disk/by-path/pci-0000:41:00.0-nvme-1" }, "/dev/nvme0n1" },
        { new RootDeviceHints { Hctl = "1:0:0:0" }, "/dev/sdb" },
        { new RootDeviceHints { Model = "MZQL2960" }, "/dev/nvme0n1" },               // model: a substring is enough
        { new RootDeviceHints { Model = "st4000nm0035" }, "/dev/sdb" },               // ... in any case
        { new RootDeviceHints { Vendor = "SEAGATE" }, "/dev/sdb" },
        { new RootDeviceHints { Vendor = "Disk" }, "/dev/sdc" },                      // SanDisk
        { new RootDeviceHints { SerialNumber = "S64F" }, "/dev/nvme0n1" },
        { new RootDeviceHints { Wwn = "0x5000c500b1c2d3e4" }, "/dev/sdb" },
        { new RootDeviceHints { MinSizeGigabytes = 500 }, "/dev/nvme0n1" },           // first match in name order: nvme0n1 < sdb
        { new RootDeviceHints { MinSizeGigabytes = 1000 }, "/dev/sdb" },
        { new RootDeviceHints { MinSizeGigabytes = 480 }, "/dev/nvme0n1" },           // 480 GiB exactly counts as at least 480
        { new RootDeviceHints { Rotational = true }, "/dev/sdb" },
        { new RootDeviceHints { Rotational = false }, "/dev/nvme0n1" },
        { new RootDeviceHints { Rotational = false, MinSizeGigabytes = 100, Vendor = "ATA" }, "/dev/sda" },
        { new RootDeviceHints { Rotational = false, Model = "Flash" }, "/dev/sdc" },   // hints may choose a disk under 4 GiB
        { new RootDeviceHints { Hctl = "0:0:0:0", SerialNumber = "MSA1", Wwn = "0x500a0751e1a2b3c4" }, "/dev/sda" },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public void Hints_choose_the_root_device_as_ironic_does(RootDeviceHints? hints, string expected) =>
        Assert.Equal(expected, RootDeviceSelector.Select(Disks, hints).Name);

    public static TheoryData<RootDeviceHints> NoMatch => new()
    {
        new RootDeviceHints { DeviceName = "/dev/sdz" },
        new RootDeviceHints { Hctl = "9:0:0:0" },
        new RootDeviceHints { Model = "Nonexistent" },
        new RootDeviceHints { SerialNumber = "MSA" },                                 // serial: exact, not a substring
        new RootDeviceHints { Wwn = "0x5000c500" },
        new RootDeviceHints { MinSizeGigabytes = 5000 },
        new RootDeviceHints { Rotational = true, Model = "SAMSUNG" },                  // each hint matches some disk, not the same one
    };

    [Theory]
    [MemberData(nameof(NoMatch))]
    public void Hints_that_match_no_disk_are_an_error_naming_the_disks(RootDeviceHints hints)
    {
        var e = Assert.Throws<RootDeviceException>(() => RootDeviceSelector.Select(Disks, hints));
        Assert.Contains("no disk matches", e.Message);
        Assert.Contains("/dev/sdb", e.Message);
    }

    [Fact]
    public void Without_hints_and_without_a_disk_of_4_GiB_there_is_no_root_device()
    {
        var e = Assert.Throws<RootDeviceException>(() => RootDeviceSelector.Select([Disks[2]], null));
        Assert.Contains("4 GiB", e.Message);
    }
}
