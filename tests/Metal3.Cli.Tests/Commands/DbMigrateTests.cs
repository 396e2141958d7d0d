using Metal3.Cli.Tests.Support;
using Metal3.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Metal3.Cli.Tests.Commands;

/// <summary><c>db migrate</c> on fresh databases: every migration applied once, a second run changes nothing.</summary>
public class DbMigrateTests
{
    [Fact]
    public async Task Migrate_creates_a_fresh_sqlite_database_in_the_data_dir_and_then_is_up_to_date()
    {
        var cli = new Metal3CtlProcess(null, null);
        string dataDir = Path.Combine(cli.WorkingDirectory, "state");

        var first = await cli.RunAsync("db", "migrate", "--data-dir", dataDir);
        var second = await cli.RunAsync("db", "migrate", "--data-dir", dataDir);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("applied", first.Stdout);
        string file = Path.Combine(dataDir, "metal3.db");
        Assert.Equal(MigrationCount(), await SqliteHistoryAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal($"SQLite database {file} is up to date", second.Stdout.Trim());
    }

    [Fact]
    public async Task Migrate_reads_the_daemons_configuration_file_and_environment()
    {
        var cli = new Metal3CtlProcess(null, null);
        string file = Path.Combine(cli.WorkingDirectory, "from-config.db");
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, "appsettings.json"),
            $$$"""{"Metal3": {"Database": {"Provider": "sqlite"}}, "ConnectionStrings": {"Metal3": "Data Source={{{file}}}"}}""");

        var run = await cli.RunAsync("db", "migrate");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(MigrationCount(), await SqliteHistoryAsync(file));
    }

    [Fact]
    public async Task Migrate_creates_the_schema_in_a_fresh_postgres_database()
    {
        var pg = await PostgresServer.GetAsync();
        string cs = await pg.CreateDatabaseAsync("climigrate");
        var cli = new Metal3CtlProcess(null, null);

        var first = await cli.RunAsync("db", "migrate", "--provider", "postgres", "--connection-string", cs);
        // The second run takes the connection from the environment, as the daemon's service unit would give it.
        cli.Environment["Metal3__Database__Provider"] = "postgres";
        cli.Environment["ConnectionStrings__Metal3"] = cs;
        var second = await cli.RunAsync("db", "migrate");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("PostgreSQL database 'climigrate_", first.Stdout);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", conn);
        Assert.Equal((long)MigrationCount(), (long)(await cmd.ExecuteScalarAsync())!);
        await using var hosts = new NpgsqlCommand("SELECT count(*) FROM hosts", conn);
        Assert.Equal(0L, (long)(await hosts.ExecuteScalarAsync())!);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.EndsWith("is up to date", second.Stdout.Trim());
    }

    [Fact]
    public async Task An_unreachable_postgres_is_a_clear_error_that_does_not_print_the_password()
    {
        int port = FreePort.Tcp();
        var run = await new Metal3CtlProcess(null, null).RunAsync("db", "migrate", "--provider", "postgres", "--connection-string",
            $"Host=127.0.0.1;Port={port};Database=metal3;Username=metal3;Password=hunter2;Timeout=3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot migrate the PostgreSQL database 'metal3' on 127.0.0.1:{port}", run.Stderr);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout);
    }

    /// <summary>The migrations this build carries (one per provider, the same list).</summary>
    private static int MigrationCount() =>
        typeof(Metal3.Migrations.Sqlite.Migrations.Initial).Assembly.GetTypes()
            .Count(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).Length > 0);

    private static async Task<int> SqliteHistoryAsync(string file)
    {
        await using var conn = new SqliteConnection($"Data Source={file};Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new SqliteCommand("SELECT count(*) FROM __EFMigrationsHistory", conn);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }
}
