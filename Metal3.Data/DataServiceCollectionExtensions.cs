using Metal3.Data.Outages;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Metal3.Data;

public static class DataServiceCollectionExtensions
{
    public const string PostgresMigrationsAssembly = "Metal3.Migrations.Postgres";
    public const string SqliteMigrationsAssembly = "Metal3.Migrations.Sqlite";

    /// <summary>Registers a pooled <see cref="Metal3DbContext"/> for the chosen provider, with its migrations assembly.</summary>
    public static IServiceCollection AddMetal3Data(this IServiceCollection services, DatabaseOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(SqliteWriteGate.For(options));
        services.AddDbContextPool<Metal3DbContext>(db => Configure(db, options), poolSize: 256);
        services.AddPooledDbContextFactory<Metal3DbContext>(db => Configure(db, options), poolSize: 256);
        services.AddScoped<HostStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseOutages>();
        return services;
    }

    public static void Configure(DbContextOptionsBuilder db, DatabaseOptions options)
    {
        string cs = options.ConnectionString ?? throw new InvalidOperationException("no database connection string");
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                db.UseNpgsql(cs, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                db.UseSqlite(cs, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
        }
        // Every exception EF sees goes on to our code, which reports an outage once (DatabaseOutages) and any other
        // failure with its own context; EF's own error lines would repeat each one with its stack, once per try.
        db.ConfigureWarnings(w => w.Log(
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }

    /// <summary>SQLite in WAL mode so readers never wait on the writer; a busy timeout so writers queue instead of failing.</summary>
    public static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();

    public static async Task MigrateAsync(this Metal3DbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await db.Database.MigrateAsync(ct);
    }
}
