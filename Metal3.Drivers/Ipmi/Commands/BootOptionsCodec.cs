using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>
/// Boot flags, system boot options parameter 5 (IPMI v2.0 §28.12, §28.13, Table 28-14), set with Set System Boot
/// Options (Chassis 08h) and read with Get System Boot Options (Chassis 09h).
/// <code>
/// byte 1: bit 7 valid | bit 6 persistent (0 = next boot only) | bit 5 EFI boot (0 = legacy/PC compatible)
/// byte 2: bits 5:2 boot device selector: 0001 PXE, 0010 hard drive, 0101 CD/DVD, 0110 BIOS setup
/// bytes 3-5: console redirection, BIOS verbosity, mux: all 0 = BIOS defaults
/// </code>
/// Set request: parameter selector (bit 7 = parameter valid lock) | 5 data bytes.
/// Get request: parameter selector | set selector | block selector.
/// Get response: parameter version (01h) | parameter selector (bit 7 = invalid/locked) | 5 data bytes.
/// </summary>
internal static class BootOptionsCodec
{
    public const byte BootFlagsParameter = 0x05;
    public const int BootFlagsLength = 5;
    private const byte ValidBit = 0x80;
    private const byte PersistentBit = 0x40;
    private const byte EfiBit = 0x20;
    private const int DeviceShift = 2;
    private const byte DeviceMask = 0x0F;

    private const byte SelectorPxe = 0x1;
    private const byte SelectorDisk = 0x2;
    private const byte SelectorCd = 0x5;
    private const byte SelectorBiosSetup = 0x6;

    /// <summary>The device selector for a boot device, or null when IPMI has none (UEFI HTTP boot).</summary>
    public static byte? Selector(BootDevice device) => device switch
    {
        BootDevice.Pxe => SelectorPxe,
        BootDevice.Disk => SelectorDisk,
        BootDevice.Cd => SelectorCd,
        BootDevice.BiosSetup => SelectorBiosSetup,
        _ => null,
    };

    /// <summary>The Set System Boot Options request data for boot flags; null when the device has no IPMI selector.</summary>
    public static byte[]? SetBootFlagsRequest(BootOverride boot)
    {
        if (Selector(boot.Device) is not byte selector)
        {
            return null;
        }
        byte flags = ValidBit;
        if (boot.Persistent)
        {
            flags |= PersistentBit;
        }
        if (boot.Mode != BootMode.Legacy)
        {
            flags |= EfiBit; // UEFI and UEFI secure boot both boot the EFI way; secure boot is a firmware setting
        }
        return [BootFlagsParameter, flags, (byte)(selector << DeviceShift), 0, 0, 0];
    }

    public static byte[] GetBootFlagsRequest() => [BootFlagsParameter, 0, 0];

    /// <summary>
    /// Parses the boot flags; a flags byte without the valid bit, or no override selected, gives a null override
    /// ("boot as the BIOS order says").
    /// </summary>
    public static bool TryParseBootFlags(ReadOnlySpan<byte> data, out BootOverride? boot, out string error)
    {
        boot = null;
        if (data.Length < 2 + BootFlagsLength)
        {
            error = $"Get System Boot Options response of {data.Length} bytes is truncated";
            return false;
        }
        if ((data[1] & 0x7F) != BootFlagsParameter)
        {
            error = $"Get System Boot Options answered parameter {data[1] & 0x7F}, not boot flags";
            return false;
        }
        byte flags = data[2];
        byte selector = (byte)((data[3] >> DeviceShift) & DeviceMask);
        BootDevice? device = selector switch
        {
            SelectorPxe => BootDevice.Pxe,
            SelectorDisk or 0x3 => BootDevice.Disk, // 0011: hard drive, safe mode
            SelectorCd => BootDevice.Cd,
            SelectorBiosSetup => BootDevice.BiosSetup,
            _ => null,
        };
        // Both simulators here drop the valid and EFI bits when they store the flags, so the device selector is
        // trusted even without the valid bit; the mode read back is what the BMC says, however wrong.
        if (device is BootDevice d)
        {
            boot = new BootOverride(d, (flags & EfiBit) != 0 ? BootMode.Uefi : BootMode.Legacy, (flags & PersistentBit) != 0);
        }
        error = "";
        return true;
    }
}
