using System.Text;
using Metal3.Agent.Inspection;
using Metal3.Agent.Tests.Support;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Tests.Inspection;

public sealed class HardwareInspectorTests
{
    /// <summary>Fixtures/this-machine: captured with Fixtures/capture.sh on the build machine (a virtio VM without DMI or EFI).</summary>
    [Fact]
    public void A_virtio_machine_without_dmi_is_inspected_from_its_captured_proc_and_sys()
    {
        var hw = new HardwareInspector(Fixtures.Root("this-machine")).Inspect();

        Assert.Equal("x86_64", hw.Cpu!.Arch);
        Assert.Equal("Intel(R) Xeon(R) Processor", hw.Cpu.Model);
        Assert.Equal(2, hw.Cpu.Count);
        Assert.Equal(2300.0, hw.Cpu.ClockMegahertz);
        Assert.Contains("avx2", hw.Cpu.Flags);
        Assert.Contains("lm", hw.Cpu.Flags);
        Assert.Equal(24684084 / 1024, hw.RamMebibytes);

        var vda = Assert.Single(hw.Storage);
        Assert.Equal("/dev/vda", vda.Name);
        Assert.Equal(536870912L * 512, vda.SizeBytes);
        Assert.True(vda.Rotational);
        Assert.Equal("0x1af4", vda.Vendor);
        Assert.Null(vda.Hctl);
        Assert.Equal("/dev/disk/by-path/pci-0000:00:02.0", vda.ByPath);

        var eth0 = Assert.Single(hw.Nics);
        Assert.Equal(("eth0", "02:fc:00:00:00:01", true, "virtio_net"), (eth0.Name, eth0.Mac, eth0.Link, eth0.Driver));
        Assert.Null(eth0.SpeedGbps); // virtio reports -1

        Assert.Null(hw.SystemVendor);
        Assert.Null(hw.Firmware);
        Assert.Equal(BootMode.Legacy, hw.BootMode);
    }

    /// <summary>
    /// Fixtures/qemu-q35: captured by Fixtures/capture.sh inside the agent ramdisk on QEMU q35 (SeaBIOS) with a virtio-scsi
    /// disk (serial, WWN), an NVMe disk, a virtio disk, a virtio and an e1000 NIC, and SMBIOS strings set on the command line.
    /// </summary>
    [Fact]
    public void A_qemu_machine_with_scsi_nvme_and_virtio_disks_is_inspected_from_its_captured_proc_and_sys()
    {
        var hw = new HardwareInspector(Fixtures.Root("qemu-q35")).Inspect();

        Assert.Equal(("x86_64", "QEMU TCG CPU version 2.5+", 2), (hw.Cpu!.Arch, hw.Cpu.Model, hw.Cpu.Count));
        Assert.Equal(981420 / 1024, hw.RamMebibytes);
        Assert.Equal(["/dev/nvme0n1", "/dev/sda", "/dev/vda"], hw.Storage.Select(d => d.Name));
        var (nvme, sda, vda) = (hw.Storage[0], hw.Storage[1], hw.Storage[2]);
        Assert.Equal((5L << 30, "QEMU NVMe Ctrl", "NVME0001", "/dev/disk/by-path/pci-0000:00:05.0"),
            (nvme.SizeBytes, nvme.Model, nvme.SerialNumber, nvme.ByPath));
        Assert.StartsWith("nvme.1b36-", nvme.Wwn);
        Assert.Equal((6L << 30, "QEMU HARDDISK", "QEMU", "SCSI0001", "0x5000c50015ea71ac", "0:0:0:0", "/dev/disk/by-path/pci-0000:00:04.0"),
            (sda.SizeBytes, sda.Model, sda.Vendor, sda.SerialNumber, sda.Wwn, sda.Hctl, sda.ByPath));
        Assert.Equal((4L << 30, "VIRTIO01", "/dev/disk/by-path/pci-0000:00:06.0"), (vda.SizeBytes, vda.SerialNumber, vda.ByPath));

        Assert.Equal(["eth0", "eth1"], hw.Nics.Select(n => n.Name));
        Assert.Equal(("52:54:00:f1:00:01", "virtio_net", (int?)null), (hw.Nics[0].Mac, hw.Nics[0].Driver, hw.Nics[0].SpeedGbps));
        Assert.Equal(("52:54:00:f1:00:02", "e1000", (int?)1), (hw.Nics[1].Mac, hw.Nics[1].Driver, hw.Nics[1].SpeedGbps));

        Assert.Equal(new SystemVendor("Metal3Lab", "QemuQ35", "LAB-0001"), hw.SystemVendor);
        Assert.Equal(new FirmwareDetails("SeaBIOS-lab", "1.16-lab", "01/02/2024"), hw.Firmware);
        Assert.Equal(BootMode.Legacy, hw.BootMode);
    }

    [Fact]
    public void A_server_with_scsi_and_nvme_disks_dmi_and_efi_is_inspected_with_every_field()
    {
        string root = Directory.CreateTempSubdirectory("metal3-sysfs-").FullName;
        try
        {
            Write(root, "proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7302\nflags\t\t: fpu lm sse2\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7302\n");
            Write(root, "proc/meminfo", "MemTotal:       263921704 kB\nMemFree: 1 kB\n");
            string sda = "sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda";
            Write(root, $"{sda}/size", "1953525168");
            Write(root, $"{sda}/queue/rotational", "1");
            Write(root, $"{sda}/device/model", "ST1000NM0033-9ZM");
            Write(root, $"{sda}/device/vendor", "ATA     ");
            Write(root, $"{sda}/device/wwid", "naa.5000c500a1b2c3d4");
            File.WriteAllBytes(Path.Combine(root, $"{sda}/device/vpd_pg80"), [0x00, 0x80, 0x00, 0x08, .. Encoding.ASCII.GetBytes("Z1W0ABCD")]);
            Write(root, $"{sda}/device/scsi_device/0:0:0:0/.keep", "");
            string nvme = "sys/devices/pci0000:40/0000:40:01.1/0000:41:00.0/nvme/nvme0/nvme0n1";
            Write(root, $"{nvme}/size", "1875385008");
            Write(root, $"{nvme}/queue/rotational", "0");
            Write(root, $"{nvme}/wwid", "eui.0025388b91b6c3f1");
            Write(root, $"{nvme}/device/model", "SAMSUNG MZQL2960HCJR-00A07");
            Write(root, $"{nvme}/device/serial", "S64FNE0R123456");
            Directory.CreateDirectory(Path.Combine(root, "sys/block"));
            File.CreateSymbolicLink(Path.Combine(root, "sys/block/sda"), "../" + sda["sys/".Length..]);
            File.CreateSymbolicLink(Path.Combine(root, "sys/block/nvme0n1"), "../" + nvme["sys/".Length..]);
            Directory.CreateDirectory(Path.Combine(root, "dev/disk/by-path"));
            File.CreateSymbolicLink(Path.Combine(root, "dev/disk/by-path/pci-0000:00:1f.2-ata-1"), "../../sda");
            File.CreateSymbolicLink(Path.Combine(root, "dev/disk/by-path/pci-0000:00:1f.2-ata-1-part1"), "../../sda1");
            Write(root, "sys/class/net/eno1/address", "3C:EC:EF:00:11:22");
            Write(root, "sys/class/net/eno1/carrier", "1");
            Write(root, "sys/class/net/eno1/speed", "25000");
            Write(root, "sys/class/net/eno1/device/uevent", "DRIVER=ice\nPCI_ID=8086:159B\n");
            Write(root, "sys/class/net/lo/address", "00:00:00:00:00:00");
            Write(root, "sys/class/dmi/id/sys_vendor", "Supermicro");
            Write(root, "sys/class/dmi/id/product_name", "AS -1114S-WN10RT");
            Write(root, "sys/class/dmi/id/product_serial", "A123456789");
            Write(root, "sys/class/dmi/id/bios_vendor", "American Megatrends Inc.");
            Write(root, "sys/class/dmi/id/bios_version", "2.4");
            Write(root, "sys/class/dmi/id/bios_date", "04/20/2022");
            Directory.CreateDirectory(Path.Combine(root, "sys/firmware/efi"));

            var hw = new HardwareInspector(root).Inspect();

            Assert.Equal(("x86_64", "AMD EPYC 7302", 2), (hw.Cpu!.Arch, hw.Cpu.Model, hw.Cpu.Count));
            Assert.Equal(263921704 / 1024, hw.RamMebibytes);
            Assert.Equal(["/dev/nvme0n1", "/dev/sda"], hw.Storage.Select(d => d.Name));
            var nvme0 = hw.Storage[0];
            Assert.Equal((1875385008L * 512, false, "S64FNE0R123456", "eui.0025388b91b6c3f1", "/dev/disk/by-path/pci-0000:41:00.0"),
                (nvme0.SizeBytes, nvme0.Rotational, nvme0.SerialNumber, nvme0.Wwn, nvme0.ByPath));
            var disk = hw.Storage[1];
            Assert.Equal(("ST1000NM0033-9ZM", "ATA", "Z1W0ABCD", "0x5000c500a1b2c3d4", "0:0:0:0", "/dev/disk/by-path/pci-0000:00:1f.2-ata-1", true),
                (disk.Model, disk.Vendor, disk.SerialNumber, disk.Wwn, disk.Hctl, disk.ByPath, disk.Rotational));
            var nic = Assert.Single(hw.Nics);
            Assert.Equal(("eno1", "3c:ec:ef:00:11:22", true, 25, "ice"), (nic.Name, nic.Mac, nic.Link, nic.SpeedGbps, nic.Driver));
            Assert.Equal(new SystemVendor("Supermicro", "AS -1114S-WN10RT", "A123456789"), hw.SystemVendor);
            Assert.Equal(new FirmwareDetails("American Megatrends Inc.", "2.4", "04/20/2022"), hw.Firmware);
            Assert.Equal(BootMode.Uefi, hw.BootMode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void An_empty_tree_gives_empty_hardware_instead_of_an_error()
    {
        string root = Directory.CreateTempSubdirectory("metal3-sysfs-").FullName;
        var hw = new HardwareInspector(root).Inspect();
        Assert.Null(hw.Cpu);
        Assert.Empty(hw.Storage);
        Assert.Empty(hw.Nics);
        Directory.Delete(root);
    }

    private static void Write(string root, string relative, string text)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
