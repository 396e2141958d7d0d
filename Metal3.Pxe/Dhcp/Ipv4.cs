using System.Buffers.Binary;
using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>IPv4 addresses as their 32-bit big-endian value (ordering, ranges, database keys).</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        return address.TryWriteBytes(b, out int n) && n == 4 ? BinaryPrimitives.ReadUInt32BigEndian(b) : 0;
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new IPAddress(b);
    }

    public static bool SameSubnet(IPAddress a, IPAddress b, IPAddress mask) =>
        (ToUInt32(a) & ToUInt32(mask)) == (ToUInt32(b) & ToUInt32(mask));
}
