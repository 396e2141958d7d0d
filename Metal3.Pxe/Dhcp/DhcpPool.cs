using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>The addresses a server may hand out: a range, and fixed addresses by MAC taken out of it.</summary>
public sealed record DhcpPool(IPAddress RangeStart, IPAddress RangeEnd, IReadOnlyDictionary<string, IPAddress> Reservations)
{
    public bool InRange(IPAddress address) =>
        Ipv4.ToUInt32(address) >= Ipv4.ToUInt32(RangeStart) && Ipv4.ToUInt32(address) <= Ipv4.ToUInt32(RangeEnd);

    /// <summary>Whether <paramref name="address"/> may be bound to this client: its reservation, or a dynamic address
    /// that is nobody's reservation.</summary>
    public bool Permits(string? mac, IPAddress address) =>
        mac is not null && Reservations.TryGetValue(mac, out var reserved)
            ? reserved.Equals(address)
            : InRange(address) && !Reservations.Values.Contains(address);
}
