using System.Text;

namespace Metal3.Pxe.Dhcp;

/// <summary>One option as it appears after RFC 3396 concatenation: the code and its whole value.</summary>
public sealed record DhcpOptionValue(DhcpOption Code, byte[] Data)
{
    public bool Equals(DhcpOptionValue? other) => other is not null && Code == other.Code && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => HashCode.Combine(Code, Data.Length);
}
