using Metal3.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Server.Hosting;

/// <summary>
/// <c>Metal3.Server --migrate-only</c>: applies the schema migrations to the database the daemon's configuration names
/// (<c>--config</c>, <c>appsettings.json</c>, the environment, the command line), prints what it did, and exits without
/// serving, e.g. before starting several daemons on a new PostgreSQL database. A normal start migrates too; this is
/// the same step on its own, so the operator's command line never needs a database driver.
/// </summary>
public static class MigrateOnly
{
    public const string Flag = "--migrate-only";

    public const int Done = 0;
    public const int Failed = 1;
    public const int BadConfiguration = 2;

    /// <summary>The arguments without <see cref="Flag"/>: ASP.NET's command line reads a bare <c>--name</c> as the key of the next argument.</summary>
    public static string[] Strip(string[] args, out bool migrateOnly)
    {
        migrateOnly = args.Contains(Flag, StringComparer.Ordinal);
        return migrateOnly ? args.Where(a => !string.Equals(a, Flag, StringComparison.Ordinal)).ToArray() : args;
    }

    public static async Task<int> RunAsync(IConfiguration config, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var options = config.GetSection(Metal3Options.Section).Get<Metal3Options>() ?? new Metal3Options();
        DatabaseOptions database;
        try
        {
            Metal3ServiceExtensions.CreatePrivateDirectory(options.FullDataDir);
            database = Metal3ServiceExtensions.DatabaseOptionsFrom(config, options);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message);
            return BadConfiguration;
        }
        string target = Describe(database);
        var builder = new DbContextOptionsBuilder<Metal3DbContext>();
        DataServiceCollectionExtensions.Configure(builder, database);
        try
        {
            await using var db = new Metal3DbContext(builder.Options);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            await db.MigrateAsync(ct);
            await output.WriteLineAsync(pending.Count == 0
                ? $"{target} is up to date"
                : $"{target}: applied {pending.Count} migration(s): {string.Join(", ", pending)}");
            return Done;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            await error.WriteLineAsync($"cannot migrate the {target}: {e.Message}");
            return Failed;
        }
    }

    /// <summary>Which database, never with its password: the server and database name, or the SQLite file.</summary>
    private static string Describe(DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            var cs = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            return $"PostgreSQL database '{cs.Database}' on {cs.Host}:{cs.Port}";
        }
        return $"SQLite database {new SqliteConnectionStringBuilder(database.ConnectionString).DataSource}";
    }
}
