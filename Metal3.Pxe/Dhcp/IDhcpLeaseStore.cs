using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// Where leases live. The daemon implements it over the database (both providers); <see cref="InMemoryDhcpLeaseStore"/>
/// serves tests and a single process.
/// <para>Contract, which every implementation must keep:</para>
/// <list type="bullet">
/// <item>An address is bound to at most one client key at any time, across every process sharing the store: each
/// binding is one atomic operation (a conditional <c>INSERT … ON CONFLICT (address) DO UPDATE … WHERE expired OR same
/// client</c>), so two daemons racing for the last free address cannot both win. A unique constraint on the address is
/// the backstop. Offers are holds that need only keep this process from offering one address twice; a REQUEST for an
/// offered address is checked like any other.</item>
/// <item>A lease, offer hold or quarantine whose <c>ExpiresAt</c> has passed no longer holds its address, whether or not
/// <see cref="ExpireAsync"/> has run (expiry only tidies up).</item>
/// <item>Methods are idempotent: a retransmitted DISCOVER gets the same address, a repeated REQUEST extends the same lease.</item>
/// <item>Never throw for "no address" or "taken": return null; throw only for infrastructure failures.</item>
/// </list>
/// </summary>
public interface IDhcpLeaseStore
{
    /// <summary>
    /// DISCOVER: choose an address and hold it for <paramref name="hold"/>. Preference (RFC 2131 §4.3.1): the
    /// client's current lease or offer, its reservation, the requested address if free and permitted, then the lowest
    /// free address of the range. Null when nothing is free.
    /// </summary>
    ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken);

    /// <summary>
    /// REQUEST (selecting, init-reboot, renewing, rebinding): bind <see cref="LeaseRequest.Requested"/> to the client
    /// for <paramref name="duration"/>. Null (the server NAKs) when the pool does not permit it or another client holds it.
    /// </summary>
    ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>RELEASE: free the address if this client holds it.</summary>
    ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken);

    /// <summary>
    /// The client chose another server's offer: let go of this process's offer of the address, never of a binding.
    /// The other server may be a second daemon on the same database that has just bound that very address to the client;
    /// releasing it here would free an address in use.
    /// </summary>
    ValueTask WithdrawOfferAsync(string clientKey, IPAddress address, CancellationToken cancellationToken);

    /// <summary>DECLINE (RFC 2131 §4.3.3): the address is in use by something else; keep it out of the pool for <paramref name="quarantine"/>.</summary>
    ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken);

    /// <summary>Removes leases, holds and quarantines that ended before <paramref name="now"/>; returns how many.</summary>
    ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
