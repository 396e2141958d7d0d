using Metal3.Data;
using Metal3.Data.Pxe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Metal3.Server.Tests.Pxe;

/// <summary>A migrated database of either provider and <see cref="EfDhcpLeaseStore"/>s over it, as the daemon builds them.</summary>
public sealed class LeaseDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<EfDhcpLeaseStore> _stores = [];

    private LeaseDatabase(ServiceProvider services) => _services = services;

    public static async Task<LeaseDatabase> CreateAsync(DatabaseOptions options)
    {
        var services = new ServiceCollection().AddMetal3Data(options).BuildServiceProvider();
        await using (var db = await services.GetRequiredService<IDbContextFactory<Metal3DbContext>>().CreateDbContextAsync())
        {
            await db.MigrateAsync(default);
        }
        return new LeaseDatabase(services);
    }

    public static Task<LeaseDatabase> SqliteAsync(string path) => CreateAsync(new DatabaseOptions
    {
        Provider = DatabaseProvider.Sqlite, ConnectionString = DataServiceCollectionExtensions.SqliteConnectionString(path),
    });

    public static Task<LeaseDatabase> PostgresAsync(string connectionString) =>
        CreateAsync(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString });

    /// <summary>A new store, as a new daemon process would have: its own cursor, the shared rows.</summary>
    public EfDhcpLeaseStore Store(TimeProvider time)
    {
        var store = new EfDhcpLeaseStore(_services.GetRequiredService<IDbContextFactory<Metal3DbContext>>(), _services.GetRequiredService<SqliteWriteGate>(), time);
        _stores.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await _services.DisposeAsync();
    }
}
