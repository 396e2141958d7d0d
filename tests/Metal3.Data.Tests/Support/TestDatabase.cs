using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Metal3.Data.Tests.Support;

/// <summary>
/// A fresh, migrated database for one test: a SQLite file in a temporary directory, or a database of its own on the
/// shared PostgreSQL server. Each <see cref="NewContext"/> is a separate connection, as two requests or two daemons
/// would have; the stores made here all read the test's one clock.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly List<Metal3DbContext> _contexts = [];

    private TestDatabase(DatabaseProvider provider, string connectionString, string? directory)
    {
        Provider = provider;
        Options = new DatabaseOptions { Provider = provider, ConnectionString = connectionString };
        _directory = directory;
    }

    public DatabaseProvider Provider { get; }

    public DatabaseOptions Options { get; }

    /// <summary>The clock every store of this database reads; it moves only when the test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(TestHosts.T0);

    /// <summary>The write gate the daemon would use for this database (one per SQLite file; an open one on PostgreSQL).</summary>
    public SqliteWriteGate Writes => SqliteWriteGate.For(Options);

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        TestDatabase db;
        if (provider == DatabaseProvider.Sqlite)
        {
            string directory = Path.Combine(Path.GetTempPath(), $"metal3-data-test-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            string file = Path.Combine(directory, "metal3.db");
            db = new TestDatabase(provider, DataServiceCollectionExtensions.SqliteConnectionString(file), directory);
        }
        else
        {
            var server = await PostgresServer.GetAsync();
            db = new TestDatabase(provider, await server.CreateDatabaseAsync("data"), directory: null);
        }
        // The daemon's own way to a schema: the migrations, and on SQLite the WAL journal it turns on first.
        await using var migrate = db.Context();
        await migrate.MigrateAsync(CancellationToken.None);
        return db;
    }

    /// <summary>A context on its own connection, disposed with the database.</summary>
    public Metal3DbContext NewContext(params IInterceptor[] interceptors)
    {
        var context = Context(interceptors);
        _contexts.Add(context);
        return context;
    }

    public HostStore Store(Metal3DbContext context) => new(context, Writes, Time);

    public HostStore NewStore() => Store(NewContext());

    public HostChangeFeed Feed(Metal3DbContext context) => new(context, Writes);

    public HostChangeFeed NewFeed() => Feed(NewContext());

    public HostLeases NewLeases() => new(NewContext(), Writes, Time);

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Pooled connections keep the file open; this test's pool only, other tests' files are theirs.
            SqliteConnection.ClearPool(new SqliteConnection(Options.ConnectionString));
            Directory.Delete(_directory!, recursive: true);
        }
        else
        {
            // Idle pooled connections to a database nobody uses again would count against the shared server's limit.
            NpgsqlConnection.ClearPool(new NpgsqlConnection(Options.ConnectionString));
        }
    }

    private Metal3DbContext Context(params IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<Metal3DbContext>().AddInterceptors(interceptors);
        DataServiceCollectionExtensions.Configure(builder, Options);
        return new Metal3DbContext(builder.Options);
    }
}
