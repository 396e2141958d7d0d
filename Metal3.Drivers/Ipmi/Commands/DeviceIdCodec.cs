using System.Buffers.Binary;

namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>
/// Get Device ID (App 01h, IPMI v2.0 §20.1). Response data:
/// <code>
/// device id | device revision (3:0) | firmware major (6:0) | firmware minor (BCD) | IPMI version (BCD, minor in 7:4)
/// | additional device support | manufacturer id (3, LE, 20 bits) | product id (2, LE) | [aux firmware revision (4)]
/// </code>
/// </summary>
internal static class DeviceIdCodec
{
    private const int MinLength = 11;

    public static bool TryParse(ReadOnlySpan<byte> data, out IpmiDeviceId? id, out string error)
    {
        id = null;
        if (data.Length < MinLength)
        {
            error = $"Get Device ID response of {data.Length} bytes is truncated";
            return false;
        }
        uint manufacturer = (uint)(data[6] | data[7] << 8 | (data[8] & 0x0F) << 16);
        id = new IpmiDeviceId(
            data[0],
            (byte)(data[1] & 0x0F),
            $"{data[2] & 0x7F}.{data[3]:X2}",
            $"{data[4] & 0x0F}.{data[4] >> 4}",
            manufacturer,
            BinaryPrimitives.ReadUInt16LittleEndian(data[9..]));
        error = "";
        return true;
    }
}
