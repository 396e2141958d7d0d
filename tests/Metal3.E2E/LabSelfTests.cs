using Metal3.E2E.Lab;
using Metal3.Pxe.Tests.Support;

namespace Metal3.E2E;

/// <summary>
/// The lab itself, before metal3 drives it: a BMC power-on starts the machine, which boots the deployed image from its
/// disk (the marker on its serial console) with either firmware, and a power-off stops it. If these fail, the
/// end-to-end flow cannot tell a metal3 bug from a broken lab.
/// </summary>
public sealed class LabSelfTests
{
    [Theory]
    [InlineData(Firmware.Bios)]
    [InlineData(Firmware.Uefi)]
    public async Task A_machine_powered_on_through_its_bmc_boots_the_image_from_its_disk(Firmware firmware)
    {
        var image = await DiskImage.GetAsync();
        using var net = NetworkNamespace.Create();
        string work = Directory.CreateTempSubdirectory("metal3-e2e-lab-").FullName;
        try
        {
            using var machine = await LabMachine.StartAsync(net, work, "m0", "52:54:00:e2:e0:01", firmware, initialDisk: image.Raw);
            Assert.Equal(0, (await machine.IpmitoolAsync("chassis", "bootdev", "disk")).ExitCode);
            Assert.Equal(0, (await machine.IpmitoolAsync("chassis", "power", "on")).ExitCode);

            await Wait.Until(() => machine.Serial.Contains(DiskImage.Marker, StringComparison.Ordinal), TimeSpan.FromSeconds(180),
                () => $"no marker on the serial console:\n{machine.Serial[Math.Max(0, machine.Serial.Length - 2000)..]}",
                poll: TimeSpan.FromMilliseconds(250));
            Assert.Contains($"metal3.boot={firmware.ToString().ToLowerInvariant()}", machine.Serial);
            Assert.Contains("Chassis Power is on", (await machine.IpmitoolAsync("chassis", "power", "status")).Output);

            Assert.Equal(0, (await machine.IpmitoolAsync("chassis", "power", "off")).ExitCode);
            Assert.False(machine.Running);
            Assert.Contains("set power 0", File.ReadAllText(machine.ChassisLog));
        }
        finally
        {
            net.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }
}
