using System.Buffers.Binary;
using System.Net;

namespace Metal3.Pxe.Dhcp;

internal static class Ipv4
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
