using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Metal3.Pxe.Dhcp;

/// <summary>Decoding and encoding of individual option values. Pure functions.</summary>
public static class DhcpValues
{
    public static string FormatMac(ReadOnlySpan<byte> mac)
    {
        var sb = new StringBuilder(17);
        for (int i = 0; i < mac.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }
            sb.Append(mac[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static IPAddress? AsAddress(byte[]? value) => value is { Length: 4 } ? new IPAddress(value) : null;

    /// <summary>
    /// Option 77. RFC 3004 §2 says: a sequence of (length, data) instances. iPXE sends the bare text "iPXE"
    /// without the length byte (seen on the wire, see docs/lab.md), so when the value does not split exactly into
    /// non-empty length-prefixed instances it is taken as one raw text class.
    /// </summary>
    public static IReadOnlyList<string> ParseUserClass(byte[]? value)
    {
        if (value is null || value.Length == 0)
        {
            return [];
        }
        var classes = new List<string>();
        int i = 0;
        while (i < value.Length)
        {
            int len = value[i];
            if (len == 0 || i + 1 + len > value.Length)
            {
                return [Encoding.ASCII.GetString(value)];
            }
            classes.Add(Encoding.ASCII.GetString(value, i + 1, len));
            i += 1 + len;
        }
        return classes;
    }

    /// <summary>Option 77 in RFC 3004 form: each class prefixed with its length.</summary>
    public static byte[] EncodeUserClass(IEnumerable<string> classes)
    {
        var bytes = new List<byte>();
        foreach (var c in classes)
        {
            var data = Encoding.ASCII.GetBytes(c);
            if (data.Length is 0 or > 255)
            {
                throw new ArgumentException("a user class is 1-255 bytes (RFC 3004 §2)", nameof(classes));
            }
            bytes.Add((byte)data.Length);
            bytes.AddRange(data);
        }
        return [.. bytes];
    }

    public static IReadOnlyList<ClientArch> ParseArchitectures(byte[]? value)
    {
        if (value is null || value.Length < 2 || value.Length % 2 != 0)
        {
            return [];
        }
        var list = new ClientArch[value.Length / 2];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = (ClientArch)BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2 * i));
        }
        return list;
    }

    /// <summary>Option 97 (RFC 4578 §2.3): type 0 then a 16-byte UUID, in the byte order the client sent.</summary>
    public static Guid? ParseMachineId(byte[]? value) =>
        value is { Length: 17 } && value[0] == 0 ? new Guid(value.AsSpan(1), bigEndian: true) : null;

    /// <summary>Option 94 (RFC 4578 §2.2): type 1 (UNDI), major, minor.</summary>
    public static (byte Type, byte Major, byte Minor)? ParseNetworkInterfaceId(byte[]? value) =>
        value is { Length: 3 } ? (value[0], value[1], value[2]) : null;

    /// <summary>
    /// Sub-options of an encapsulated option (43, 82, 175): code, length, value; 0 is padding, 255 ends.
    /// Returns null when malformed.
    /// </summary>
    public static IReadOnlyList<(byte Code, byte[] Data)>? ParseSubOptions(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }
        var list = new List<(byte, byte[])>();
        int i = 0;
        while (i < value.Length)
        {
            byte code = value[i];
            if (code == 0)
            {
                i++;
                continue;
            }
            if (code == 255)
            {
                break;
            }
            if (i + 1 >= value.Length || i + 2 + value[i + 1] > value.Length)
            {
                return null;
            }
            int len = value[i + 1];
            list.Add((code, value.AsSpan(i + 2, len).ToArray()));
            i += 2 + len;
        }
        return list;
    }

    public static byte[] EncodeSubOptions(IEnumerable<(byte Code, byte[] Data)> subOptions, bool end)
    {
        var bytes = new List<byte>();
        foreach (var (code, data) in subOptions)
        {
            bytes.Add(code);
            bytes.Add((byte)data.Length);
            bytes.AddRange(data);
        }
        if (end)
        {
            bytes.Add(255);
        }
        return [.. bytes];
    }

    public static byte[] Address(IPAddress address) => address.GetAddressBytes();

    public static byte[] Addresses(IEnumerable<IPAddress> addresses) => addresses.SelectMany(a => a.GetAddressBytes()).ToArray();

    public static byte[] UInt32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    public static byte[] Text(string value) => Encoding.ASCII.GetBytes(value);
}
