using Metal3.Core.Bmc;

namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>Get Chassis Status (Chassis 01h, §28.2) and Chassis Control (Chassis 02h, §28.3).</summary>
internal static class ChassisCodec
{
    // Get Chassis Status response data: current power state (bit 0: power is on) | last power event
    //                                 | misc chassis state | [front panel button capabilities]
    private const byte PowerIsOnBit = 0x01;

    public static bool TryParseStatus(ReadOnlySpan<byte> data, out PowerState power, out string error)
    {
        power = PowerState.Off;
        if (data.Length < 3)
        {
            error = $"Get Chassis Status response of {data.Length} bytes is truncated";
            return false;
        }
        power = (data[0] & PowerIsOnBit) != 0 ? PowerState.On : PowerState.Off;
        error = "";
        return true;
    }

    public static byte[] ControlRequest(ChassisControlAction action) => [(byte)action];
}
