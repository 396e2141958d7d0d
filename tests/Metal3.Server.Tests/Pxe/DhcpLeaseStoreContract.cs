using System.Net;
using Metal3.Pxe.Dhcp;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Server.Tests.Pxe;

/// <summary>
/// The <see cref="IDhcpLeaseStore"/> contract as examples, run against every implementation: the in-memory reference
/// and the database store on SQLite and PostgreSQL. A subclass says how to make a store over a fresh database, and how
/// to make another one over the same database (a restart, or a second daemon).
/// </summary>
public abstract class DhcpLeaseStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);
    protected static readonly TimeSpan Lease = TimeSpan.FromHours(1);
    protected static readonly DhcpPool Pool = new(IPAddress.Parse("198.18.0.100"), IPAddress.Parse("198.18.0.103"),
        new Dictionary<string, IPAddress> { ["52:54:00:00:00:99"] = IPAddress.Parse("198.18.0.102") });

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero));
    protected IDhcpLeaseStore Store { get; private set; } = null!;

    /// <summary>A store over a new, empty database.</summary>
    protected abstract Task<IDhcpLeaseStore> CreateAsync();

    /// <summary>Another store over the same database as the last <see cref="CreateAsync"/>.</summary>
    protected abstract IDhcpLeaseStore Another();

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static LeaseRequest Client(int n, IPAddress? requested = null, DhcpPool? pool = null) =>
        new($"01525400000{n:x3}", $"52:54:00:00:0{n / 256:x1}:{n % 256:x2}", requested, pool ?? Pool);

    [Fact]
    public async Task A_discover_is_offered_the_first_free_address_and_a_retransmission_the_same()
    {
        var first = await Store.AllocateAsync(Client(1), Hold, default);
        var again = await Store.AllocateAsync(Client(1), Hold, default);
        Assert.Equal(IPAddress.Parse("198.18.0.100"), first!.Address);
        Assert.Equal(LeaseState.Offered, first.State);
        Assert.Equal(first.Address, again!.Address);
        Assert.Equal(Time.GetUtcNow() + Hold, again.ExpiresAt);
    }

    [Fact]
    public async Task Two_clients_get_different_addresses_and_nobody_gets_anothers_reservation()
    {
        var a = await Store.AllocateAsync(Client(1), Hold, default);
        var b = await Store.AllocateAsync(Client(2), Hold, default);
        var c = await Store.AllocateAsync(Client(3), Hold, default);
        Assert.Equal(["198.18.0.100", "198.18.0.101", "198.18.0.103"], new[] { a, b, c }.Select(l => l!.Address.ToString()));
        Assert.Null(await Store.AllocateAsync(Client(4), Hold, default));
    }

    [Fact]
    public async Task A_reserved_client_gets_its_reservation_even_when_asking_for_another()
    {
        var reserved = await Store.AllocateAsync(Client(0x99, IPAddress.Parse("198.18.0.100")), Hold, default);
        Assert.Equal(IPAddress.Parse("198.18.0.102"), reserved!.Address);
        Assert.Null(await Store.RenewAsync(Client(0x99, IPAddress.Parse("198.18.0.100")), Lease, default));
    }

    [Fact]
    public async Task A_requested_free_address_is_offered()
    {
        var offered = await Store.AllocateAsync(Client(1, IPAddress.Parse("198.18.0.103")), Hold, default);
        Assert.Equal(IPAddress.Parse("198.18.0.103"), offered!.Address);
    }

    [Fact]
    public async Task A_request_binds_and_extends_but_never_takes_anothers_address_or_one_outside_the_pool()
    {
        var offered = await Store.AllocateAsync(Client(1), Hold, default);
        var bound = await Store.RenewAsync(Client(1, offered!.Address), Lease, default);
        Assert.Equal(LeaseState.Bound, bound!.State);
        Assert.Equal(Time.GetUtcNow() + Lease, bound.ExpiresAt);
        Time.Advance(TimeSpan.FromMinutes(30));
        var renewed = await Store.RenewAsync(Client(1, offered.Address), Lease, default);
        Assert.Equal(Time.GetUtcNow() + Lease, renewed!.ExpiresAt);
        // A retransmitted DISCOVER does not demote the bound lease to an offer.
        Assert.Equal(LeaseState.Bound, (await Store.AllocateAsync(Client(1), Hold, default))!.State);

        Assert.Null(await Store.RenewAsync(Client(2, offered.Address), Lease, default));
        Assert.Null(await Store.RenewAsync(Client(2, IPAddress.Parse("198.18.0.50")), Lease, default));
    }

    [Fact]
    public async Task A_released_address_goes_to_the_next_client_and_only_its_holder_can_release_it()
    {
        var bound = await Store.RenewAsync(Client(1, IPAddress.Parse("198.18.0.100")), Lease, default);
        await Store.ReleaseAsync(Client(2).ClientKey, bound!.Address, default);
        Assert.Null(await Store.RenewAsync(Client(2, bound.Address), Lease, default));
        await Store.ReleaseAsync(Client(1).ClientKey, bound.Address, default);
        Assert.NotNull(await Store.RenewAsync(Client(2, bound.Address), Lease, default));
    }

    [Fact]
    public async Task A_withdrawn_offer_goes_back_to_the_pool()
    {
        var offered = await Store.AllocateAsync(Client(1), Hold, default);
        await Store.WithdrawOfferAsync(Client(1).ClientKey, offered!.Address, default);
        await Store.AllocateAsync(Client(2), Hold, default);
        await Store.AllocateAsync(Client(3), Hold, default);
        // The pool has three addresses for these clients; the fourth gets the withdrawn one, not nothing.
        Assert.Equal(offered.Address, (await Store.AllocateAsync(Client(4), Hold, default))?.Address);
    }

    [Fact]
    public async Task Withdrawing_an_offer_never_withdraws_a_binding()
    {
        // The client bound the address through a second daemon on the same data; this one then sees the client's
        // REQUEST to that daemon and withdraws its own offer. The binding stays.
        var bound = await Another().RenewAsync(Client(3, IPAddress.Parse("198.18.0.103")), Lease, default);
        await Store.WithdrawOfferAsync(Client(3).ClientKey, bound!.Address, default);
        Assert.Null(await Store.RenewAsync(Client(4, bound.Address), Lease, default));
    }

    [Fact]
    public async Task The_periodic_expiry_brings_in_what_other_daemons_bound()
    {
        var first = await Store.AllocateAsync(Client(9), Hold, default);   // this daemon is up and has looked at its leases
        await Store.WithdrawOfferAsync(Client(9).ClientKey, first!.Address, default);
        await Another().RenewAsync(Client(1, IPAddress.Parse("198.18.0.101")), Lease, default);

        await Store.ExpireAsync(Time.GetUtcNow(), default);
        var offers = new[] { await Store.AllocateAsync(Client(2), Hold, default), await Store.AllocateAsync(Client(3), Hold, default) };

        Assert.Equal(["198.18.0.100", "198.18.0.103"], offers.Select(o => o?.Address.ToString()).Order());
    }

    /// <summary>
    /// Thousands of bindings by another daemon (more than the database store merges per hold of its lock), and one
    /// made here after this daemon last looked: after the periodic expiry every one of them is known, so the next
    /// DISCOVERs get only the addresses nobody holds.
    /// </summary>
    [Fact]
    public async Task The_periodic_expiry_brings_in_thousands_of_bindings_across_merge_chunks()
    {
        const int bound = 5000, free = 3;
        var pool = new DhcpPool(IPAddress.Parse("198.18.16.0"), Ipv4.FromUInt32(Ipv4.ToUInt32(IPAddress.Parse("198.18.16.0")) + bound + free - 1),
            new Dictionary<string, IPAddress>());
        LeaseRequest Big(int n, IPAddress? requested = null) =>
            new($"01525401{n:x6}", $"52:54:01:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}", requested, pool);
        var here = await Store.AllocateAsync(Big(bound + 50), Hold, default);   // loaded while the table was empty
        await Store.WithdrawOfferAsync(Big(bound + 50).ClientKey, here!.Address, default);
        var other = Another();
        var taken = Enumerable.Range(0, bound).Select(i => Ipv4.FromUInt32(Ipv4.ToUInt32(pool.RangeStart) + (uint)(i * (bound + free) / bound))).ToList();
        var results = await Task.WhenAll(taken.Select((address, i) => other.RenewAsync(Big(i, address), Lease, default).AsTask()));
        Assert.All(results, r => Assert.NotNull(r));

        await Store.ExpireAsync(Time.GetUtcNow(), default);
        var offers = new List<string?>();
        for (int n = 0; n < free + 1; n++)
        {
            offers.Add((await Store.AllocateAsync(Big(bound + 100 + n), Hold, default))?.Address.ToString());
        }

        var busy = taken.Select(a => a.ToString()).ToHashSet();
        Assert.All(offers.Take(free), o => Assert.False(o is null || busy.Contains(o), $"offered {o ?? "nothing"}, which another daemon bound"));
        Assert.Equal(free, offers.Take(free).Distinct().Count());
        Assert.Null(offers[free]);   // the pool is full
    }

    /// <summary>
    /// A rack powering on: hundreds of REQUESTs at once, each client's sent twice (a retransmission racing its
    /// original), and two clients after one address. The database store writes them in shared groups; every client is
    /// bound once, to its own address, and the contested address to exactly one of the two.
    /// </summary>
    [Fact]
    public async Task Hundreds_of_requests_at_once_are_each_bound_once()
    {
        var pool = new DhcpPool(IPAddress.Parse("198.18.1.0"), IPAddress.Parse("198.18.3.255"), new Dictionary<string, IPAddress>());
        var requests = Enumerable.Range(0, 300).Select(i => Client(i, Ipv4.FromUInt32(Ipv4.ToUInt32(pool.RangeStart) + (uint)i), pool)).ToList();
        var contested = Client(301, requests[7].Requested, pool);
        var all = requests.Concat(requests).Append(contested).OrderBy(_ => Random.Shared.Next())
            .Select(r => Task.Run(async () => (Request: r, Bound: await Store.RenewAsync(r, Lease, default)))).ToList();
        var results = await Task.WhenAll(all);

        foreach (var r in requests.Where((_, i) => i != 7))
        {
            Assert.All(results.Where(x => x.Request == r), x => Assert.Equal(r.Requested, x.Bound?.Address));
        }
        var winners = results.Where(x => x.Request.Requested!.Equals(requests[7].Requested) && x.Bound is not null)
            .Select(x => x.Request.ClientKey).Distinct().ToList();
        Assert.Single(winners);
        var loser = winners[0] == contested.ClientKey ? requests[7] : contested;
        Assert.Null(await Store.RenewAsync(loser, Lease, default));
    }

    [Fact]
    public async Task A_declined_address_is_quarantined_for_everybody_then_returns()
    {
        var offered = await Store.AllocateAsync(Client(1), Hold, default);
        await Store.DeclineAsync(Client(1).ClientKey, offered!.Address, TimeSpan.FromMinutes(10), default);
        Assert.Null(await Store.RenewAsync(Client(1, offered.Address), Lease, default));
        Assert.Null(await Store.RenewAsync(Client(2, offered.Address), Lease, default));
        Assert.NotEqual(offered.Address, (await Store.AllocateAsync(Client(1), Hold, default))!.Address);
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.NotNull(await Store.RenewAsync(Client(2, offered.Address), Lease, default));
    }

    [Fact]
    public async Task An_expired_lease_or_hold_no_longer_blocks_even_before_expiry_tidies_up()
    {
        await Store.RenewAsync(Client(1, IPAddress.Parse("198.18.0.100")), Lease, default);
        await Store.AllocateAsync(Client(2), Hold, default);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.RenewAsync(Client(3, IPAddress.Parse("198.18.0.100")), Lease, default));
        Assert.Equal(1, await Store.ExpireAsync(Time.GetUtcNow(), default));   // client 2's hold; 3's lease is live
        Assert.Equal(0, await Store.ExpireAsync(Time.GetUtcNow(), default));
    }

    [Fact]
    public async Task A_client_that_moves_to_another_address_lets_the_old_one_go()
    {
        await Store.RenewAsync(Client(1, IPAddress.Parse("198.18.0.100")), Lease, default);
        await Store.RenewAsync(Client(1, IPAddress.Parse("198.18.0.101")), Lease, default);
        Assert.NotNull(await Store.RenewAsync(Client(2, IPAddress.Parse("198.18.0.100")), Lease, default));
    }

    [Fact]
    public async Task Another_store_over_the_same_data_sees_the_same_leases()
    {
        var bound = await Store.RenewAsync(Client(1, IPAddress.Parse("198.18.0.101")), Lease, default);
        var other = Another();
        Assert.Null(await other.RenewAsync(Client(2, bound!.Address), Lease, default));
        Assert.Equal(bound.Address, (await other.AllocateAsync(Client(1), Hold, default))!.Address);
        Assert.Equal(IPAddress.Parse("198.18.0.100"), (await other.AllocateAsync(Client(2), Hold, default))!.Address);
    }
}

public sealed class InMemoryDhcpLeaseStoreContractTests : DhcpLeaseStoreContract
{
    private InMemoryDhcpLeaseStore? _store;

    protected override Task<IDhcpLeaseStore> CreateAsync() => Task.FromResult<IDhcpLeaseStore>(_store = new InMemoryDhcpLeaseStore(Time));

    protected override IDhcpLeaseStore Another() => _store!;
}
