namespace Metal3.Pxe.Dhcp;

public enum LeaseState
{
    /// <summary>Offered and held for the client's REQUEST.</summary>
    Offered,
    Bound,
    /// <summary>A client found the address in use (DHCPDECLINE): out of the pool until it expires.</summary>
    Declined,
}
