namespace Metal3.Pxe;

/// <summary><c>Metal3:Pxe:Dhcp:Mode</c>.</summary>
public enum DhcpMode
{
    /// <summary>No DHCP server (the default: a DHCP server never starts by surprise).</summary>
    Off,
    /// <summary>The network's DHCP server: pool, reservations, leases; boot information for known hosts.</summary>
    Full,
    /// <summary>ProxyDHCP (PXE 2.1 §2.2.4): boot information only, beside another DHCP server; ports 67 and 4011.</summary>
    Proxy,
}
