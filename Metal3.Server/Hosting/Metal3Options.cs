using Metal3.Data;

namespace Metal3.Server.Hosting;

/// <summary>The <c>Metal3</c> configuration section.</summary>
public sealed class Metal3Options
{
    public const string Section = "Metal3";

    /// <summary>Where the SQLite database, the admin token and the Data Protection keys live.</summary>
    public string DataDir { get; set; } = "./data";

    public DatabaseSection Database { get; set; } = new();
    public AuthSection Auth { get; set; } = new();
    public ApiSection Api { get; set; } = new();

    public sealed class DatabaseSection
    {
        public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    }

    public sealed class AuthSection
    {
        /// <summary><c>token</c> (default) or <c>none</c> (development only, loopback only).</summary>
        public string Mode { get; set; } = "token";

        /// <summary>An admin token from configuration; when set, no token file is written.</summary>
        public string? AdminToken { get; set; }
    }

    public sealed class ApiSection
    {
        /// <summary>Largest request body the API reads; a host with 64 KiB of each cloud-init field fits.</summary>
        public long MaxBodyBytes { get; set; } = 1024 * 1024;
    }

    public string FullDataDir => Path.GetFullPath(DataDir);
}
