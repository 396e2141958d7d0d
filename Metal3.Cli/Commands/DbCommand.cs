using System.CommandLine;
using Metal3.Cli.Database;
using Metal3.Data;
using Microsoft.EntityFrameworkCore;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>metal3ctl db migrate</c>: applies the schema migrations with the same code the daemon runs at start-up
/// (<c>Metal3.Data</c>'s <c>MigrateAsync</c>), e.g. before starting several daemons on a new PostgreSQL database.
/// The only command that does not go through the REST API.
/// </summary>
public static class DbCommand
{
    public static Command Create()
    {
        var provider = new Option<string?>("--provider")
        {
            Description = "sqlite or postgres [config: Metal3:Database:Provider; default: sqlite]",
        };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string?>("--connection-string")
        {
            Description = "Database connection string [config: ConnectionStrings:Metal3; SQLite default: <data-dir>/metal3.db]",
        };
        var dataDir = new Option<string?>("--data-dir") { Description = "The daemon's data directory, for SQLite [config: Metal3:DataDir; default: ./data]" };
        var config = new Option<string?>("--config")
        {
            Description = "The daemon's appsettings.json (default: ./appsettings.json if present); environment variables apply on top",
        };
        var migrate = new Command("migrate", "Apply the database schema migrations (as the daemon does when it starts)")
        {
            provider, connection, dataDir, config,
        };
        migrate.SetAction(async (r, ct) =>
        {
            var target = MigrationTarget.Resolve(r.GetValue(provider), r.GetValue(connection), r.GetValue(dataDir), r.GetValue(config),
                Directory.GetCurrentDirectory());
            var builder = new DbContextOptionsBuilder<Metal3DbContext>();
            DataServiceCollectionExtensions.Configure(builder, target.Options);
            try
            {
                await using var db = new Metal3DbContext(builder.Options);
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                await db.MigrateAsync(ct);
                Say(pending.Count == 0
                    ? $"{target.Description} is up to date"
                    : $"{target.Description}: applied {pending.Count} migration(s): {string.Join(", ", pending)}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                throw new CliException($"cannot migrate the {target.Description}: {e.Message}", ExitCodes.Error, e);
            }
        });
        return new Command("db", "Database maintenance (talks to the database, not to the daemon)") { migrate };
    }
}
