using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Messages;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>Chassis control choices, boot flag bits (IPMI v2.0 Table 28-14) and completion code names.</summary>
public sealed class PowerAndBootCodecTests
{
    // Chassis Control data byte (Table 28-4): 00 down, 01 up, 02 cycle, 03 hard reset, 05 soft shutdown
    [Theory]
    [InlineData(PowerAction.On, PowerState.Off, 0x01)]
    [InlineData(PowerAction.HardOff, PowerState.On, 0x00)]
    [InlineData(PowerAction.SoftOff, PowerState.On, 0x05)]
    [InlineData(PowerAction.Reboot, PowerState.On, 0x03)]
    [InlineData(PowerAction.PowerCycle, PowerState.On, 0x02)]
    [InlineData(PowerAction.Reboot, PowerState.Off, 0x01)] // off: rebooting ends with it on
    public void Power_action_sends_the_chassis_control_the_spec_names(PowerAction action, PowerState now, byte expected) =>
        Assert.Equal(expected, (byte?)IpmiPowerControl.Choose(action, now));

    [Theory]
    [InlineData(PowerAction.On, PowerState.On)]
    [InlineData(PowerAction.HardOff, PowerState.Off)]
    [InlineData(PowerAction.SoftOff, PowerState.Off)]
    public void Power_action_already_done_sends_nothing(PowerAction action, PowerState now) =>
        Assert.Null(IpmiPowerControl.Choose(action, now));

    [Theory]
    [InlineData(BootDevice.Pxe, BootMode.Uefi, false, 0xA0, 0x04)]
    [InlineData(BootDevice.Pxe, BootMode.Legacy, false, 0x80, 0x04)]
    [InlineData(BootDevice.Disk, BootMode.Uefi, true, 0xE0, 0x08)]
    [InlineData(BootDevice.Cd, BootMode.Legacy, true, 0xC0, 0x14)]
    [InlineData(BootDevice.BiosSetup, BootMode.UefiSecureBoot, false, 0xA0, 0x18)] // secure boot still boots the EFI way
    public void Boot_flags_carry_valid_persistent_efi_and_device_bits(BootDevice device, BootMode mode, bool persistent, byte flags, byte selector)
    {
        byte[] data = BootOptionsCodec.SetBootFlagsRequest(new BootOverride(device, mode, persistent))!;

        Assert.Equal([BootOptionsCodec.BootFlagsParameter, flags, selector, 0, 0, 0], data);
    }

    [Fact]
    public void Boot_flags_read_back_without_the_valid_bit_still_name_the_device()
    {
        // ipmi_sim's answer after "bootdev pxe options=efiboot": version 1, parameter 5, flags 00 (valid and EFI dropped)
        Assert.True(BootOptionsCodec.TryParseBootFlags([0x01, 0x05, 0x00, 0x04, 0, 0, 0], out var boot, out _));

        Assert.Equal(new BootOverride(BootDevice.Pxe, BootMode.Legacy, false), boot);
    }

    [Fact]
    public void Uefi_http_boot_has_no_ipmi_selector() =>
        Assert.Null(BootOptionsCodec.SetBootFlagsRequest(new BootOverride(BootDevice.UefiHttp, BootMode.Uefi, false)));

    [Theory]
    [InlineData(0xC1, "invalid command (0xC1)")]
    [InlineData(0xD4, "insufficient privilege level (0xD4)")]
    [InlineData(0xCC, "invalid data field in request (0xCC)")]
    public void Completion_codes_are_decoded_by_their_spec_names(byte code, string text) =>
        Assert.Equal(text, CompletionCode.Describe(code));

    [Fact]
    public void Get_device_id_from_ipmi_sim_is_decoded()
    {
        // captured: Get Device ID response data of the ipmi_sim configured with "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02"
        Assert.True(DeviceIdCodec.TryParse(Convert.FromHexString("0003090802 9F 911200 020F 00000000".Replace(" ", "")), out var id, out _));

        Assert.Equal(("9.08", "2.0", 0x1291u, (ushort)0x0F02), (id!.FirmwareVersion, id.IpmiVersion, id.ManufacturerId, id.ProductId));
    }
}
