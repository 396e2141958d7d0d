using System.Net;
using Metal3.Data;
using Metal3.Pxe.Dhcp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Metal3.Server.Tests.Pxe;

public sealed class SqliteDhcpLeaseStoreTests : DhcpLeaseStoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metal3-leases-").FullName;
    private LeaseDatabase? _db;

    protected override async Task<IDhcpLeaseStore> CreateAsync()
    {
        _db = await LeaseDatabase.SqliteAsync(Path.Combine(_dir, "metal3.db"));
        return _db.Store(Time);
    }

    protected override IDhcpLeaseStore Another() => _db!.Store(Time);

    public override async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PostgresDhcpLeaseStoreTests : DhcpLeaseStoreContract
{
    private LeaseDatabase? _db;

    protected override async Task<IDhcpLeaseStore> CreateAsync()
    {
        var server = await PostgresServer.GetAsync();
        _db = await LeaseDatabase.PostgresAsync(await server.CreateDatabaseAsync("leases"));
        return _db.Store(Time);
    }

    protected override IDhcpLeaseStore Another() => _db!.Store(Time);

    public override async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    /// <summary>
    /// Two daemons (two stores, each with its own connections) and 20 clients each, all at once, for a pool of 8: every
    /// address is bound to one client only, and every address is bound. (Each client asks one daemon: a client that
    /// asks both may legitimately move between addresses mid-race, which makes "who holds what" a moving target.)
    /// </summary>
    [Fact]
    public async Task Two_daemons_racing_for_the_last_free_addresses_never_both_win()
    {
        var pool = new DhcpPool(IPAddress.Parse("198.18.0.10"), IPAddress.Parse("198.18.0.17"), new Dictionary<string, IPAddress>());
        var daemons = new[] { Store, Another() };
        for (int round = 0; round < 5; round++)
        {
            var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            {
                var client = Client(round * 100 + i, pool: pool);
                var offered = await daemons[i % 2].AllocateAsync(client, Hold, default);
                return offered is null ? null : await daemons[i % 2].RenewAsync(client with { Requested = offered.Address }, Lease, default);
            })).ToList();
            var bound = (await Task.WhenAll(attempts)).OfType<DhcpLease>().ToList();
            var byAddress = bound.GroupBy(l => l.Address).ToList();
            Assert.All(byAddress, g => Assert.Single(g.Select(l => l.ClientKey).Distinct()));
            Assert.Equal(8, byAddress.Count);
            Time.Advance(Lease + TimeSpan.FromSeconds(1));   // the next round starts from an expired pool
        }
    }

    [Fact]
    public async Task Leases_survive_a_restart_of_every_daemon()
    {
        var server = await PostgresServer.GetAsync();
        string cs = await server.CreateDatabaseAsync("leases_restart");
        IPAddress address;
        await using (var before = await LeaseDatabase.PostgresAsync(cs))
        {
            address = (await before.Store(Time).RenewAsync(Client(1, IPAddress.Parse("198.18.0.101")), Lease, default))!.Address;
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var after = await LeaseDatabase.PostgresAsync(cs);
        var store = after.Store(Time);
        Assert.Null(await store.RenewAsync(Client(2, address), Lease, default));
        Assert.Equal(address, (await store.AllocateAsync(Client(1), Hold, default))!.Address);
    }
}
