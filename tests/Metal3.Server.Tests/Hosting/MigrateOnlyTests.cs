using Microsoft.Data.Sqlite;
using Npgsql;

namespace Metal3.Server.Tests.Hosting;

/// <summary><c>--migrate-only</c> on fresh databases: every migration applied once, a second run changes nothing, the daemon exits.</summary>
public class MigrateOnlyTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Migrate_only_creates_a_fresh_sqlite_database_in_the_data_dir_and_then_is_up_to_date()
    {
        string cwd = NewDirectory();
        string dataDir = Path.Combine(cwd, "state");

        var first = await DaemonProcess.RunToExitAsync(cwd, NoEnvironment, "--migrate-only", "--Metal3:DataDir", dataDir);
        var second = await DaemonProcess.RunToExitAsync(cwd, NoEnvironment, "--Metal3:DataDir", dataDir, "--migrate-only");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("applied", first.Stdout);
        string file = Path.Combine(dataDir, "metal3.db");
        Assert.Equal(MigrationCount(), await SqliteHistoryAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal($"SQLite database {file} is up to date", second.Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(dataDir, "admin.token")), "migrating is not starting: no token is written");
    }

    [Fact]
    public async Task Migrate_only_reads_the_daemons_configuration_file()
    {
        string cwd = NewDirectory();
        string file = Path.Combine(cwd, "from-config.db");
        string config = Path.Combine(cwd, "metal3.json");
        await File.WriteAllTextAsync(config,
            $$$"""{"Metal3": {"DataDir": "{{{cwd}}}", "Database": {"Provider": "sqlite"}}, "ConnectionStrings": {"Metal3": "Data Source={{{file}}}"}}""");

        var run = await DaemonProcess.RunToExitAsync(cwd, new Dictionary<string, string> { ["METAL3_CONFIG"] = config }, "--migrate-only");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(MigrationCount(), await SqliteHistoryAsync(file));
    }

    [Fact]
    public async Task Migrate_only_creates_the_schema_in_a_fresh_postgres_database()
    {
        var pg = await PostgresServer.GetAsync();
        string cs = await pg.CreateDatabaseAsync("migrateonly");
        string cwd = NewDirectory();

        var first = await DaemonProcess.RunToExitAsync(cwd, NoEnvironment, "--migrate-only", "--Metal3:DataDir", cwd,
            "--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3", cs);
        // The second run takes the connection from the environment, as the daemon's service unit would give it.
        var second = await DaemonProcess.RunToExitAsync(cwd, new Dictionary<string, string>
        {
            ["Metal3__Database__Provider"] = "postgres", ["ConnectionStrings__Metal3"] = cs, ["Metal3__DataDir"] = cwd,
        }, "--migrate-only");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("PostgreSQL database 'migrateonly_", first.Stdout);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", conn);
        Assert.Equal((long)MigrationCount(), (long)(await cmd.ExecuteScalarAsync())!);
        await using var hosts = new NpgsqlCommand("SELECT count(*) FROM hosts", conn);
        Assert.Equal(0L, (long)(await hosts.ExecuteScalarAsync())!);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.EndsWith("is up to date", second.Stdout.Trim());
    }

    [Fact]
    public async Task An_unreachable_postgres_is_a_clear_error_that_does_not_print_the_password()
    {
        int port = FreePort.Tcp();
        string cwd = NewDirectory();
        var run = await DaemonProcess.RunToExitAsync(cwd, NoEnvironment, "--migrate-only", "--Metal3:DataDir", cwd,
            "--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3",
            $"Host=127.0.0.1;Port={port};Database=metal3;Username=metal3;Password=hunter2;Timeout=3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot migrate the PostgreSQL database 'metal3' on 127.0.0.1:{port}", run.Stderr);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_a_configuration_error()
    {
        string cwd = NewDirectory();
        var run = await DaemonProcess.RunToExitAsync(cwd, NoEnvironment, "--migrate-only", "--Metal3:DataDir", cwd,
            "--Metal3:Database:Provider", "postgres");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs ConnectionStrings:Metal3", run.Stderr);
    }

    private static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-migrate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
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
