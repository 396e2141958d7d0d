namespace Metal3.Data.Entities;

/// <summary>
/// One IPv4 address of the DHCP pool that is offered, bound or quarantined. The address is the key, so two daemons on
/// one PostgreSQL can never hold the same address for two clients: the loser of a race hits the primary key.
/// </summary>
public sealed class DhcpLeaseRecord
{
    /// <summary>The address as its 32-bit big-endian value, so "the lowest free address of the range" is an ordered query.</summary>
    public long Address { get; set; }

    /// <summary>RFC 2131 §4.2 client identifier (option 61, else htype + chaddr), hex.</summary>
    public required string ClientKey { get; set; }

    public string? MacAddress { get; set; }

    /// <summary>Offered, Bound or Declined.</summary>
    public required string State { get; set; }

    public DateTime ExpiresAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
