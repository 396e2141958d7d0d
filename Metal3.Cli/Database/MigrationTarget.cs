using Metal3.Data;
using Microsoft.Extensions.Configuration;

namespace Metal3.Cli.Database;

/// <summary>
/// Which database <c>db migrate</c> works on, chosen as the daemon chooses it (Metal3.Server's
/// <c>DatabaseOptionsFrom</c>): <c>Metal3:Database:Provider</c>, <c>ConnectionStrings:Metal3</c>, and for SQLite
/// <c>&lt;Metal3:DataDir&gt;/metal3.db</c>; from the daemon's appsettings.json and environment
/// (<c>Metal3__Database__Provider</c>, <c>ConnectionStrings__Metal3</c>), with flags on top.
/// </summary>
public sealed record MigrationTarget(DatabaseOptions Options, string Description)
{
    public static MigrationTarget Resolve(string? providerFlag, string? connectionFlag, string? dataDirFlag, string? configFile,
        string workingDirectory)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CliException($"--config {configFile}: no such file", ExitCodes.Usage);
            }
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        else
        {
            builder.AddJsonFile(Path.Combine(workingDirectory, "appsettings.json"), optional: true);
        }
        IConfiguration config;
        try
        {
            config = builder.AddEnvironmentVariables().Build();
        }
        catch (InvalidDataException e)
        {
            throw new CliException($"the configuration file is not valid JSON: {e.Message}", ExitCodes.Usage);
        }

        string providerText = providerFlag ?? config["Metal3:Database:Provider"] ?? "sqlite";
        var provider = providerText.ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            _ => throw new CliException($"database provider '{providerText}': expected sqlite or postgres", ExitCodes.Usage),
        };
        string? connection = connectionFlag ?? config.GetConnectionString("Metal3");
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new CliException(
                    "PostgreSQL needs a connection string: --connection-string 'Host=…;Database=metal3;Username=…;Password=…' " +
                    "or ConnectionStrings__Metal3", ExitCodes.Usage);
            }
            var cs = new Npgsql.NpgsqlConnectionStringBuilder(connection);
            // Never print the password: name the server and database only.
            return new MigrationTarget(new DatabaseOptions { Provider = provider, ConnectionString = connection },
                $"PostgreSQL database '{cs.Database}' on {cs.Host}:{cs.Port}");
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            string dataDir = Path.GetFullPath(dataDirFlag ?? config["Metal3:DataDir"] ?? "./data", workingDirectory);
            CreatePrivateDirectory(dataDir);
            string file = Path.Combine(dataDir, "metal3.db");
            return new MigrationTarget(new DatabaseOptions
            {
                Provider = provider,
                ConnectionString = DataServiceCollectionExtensions.SqliteConnectionString(file),
            }, $"SQLite database {file}");
        }
        string source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(source)) is { } dir)
        {
            CreatePrivateDirectory(dir);
        }
        return new MigrationTarget(new DatabaseOptions { Provider = provider, ConnectionString = connection },
            $"SQLite database {source}");
    }

    /// <summary>As the daemon does: the data directory holds keys and tokens, so it is owner-only from the start.</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
