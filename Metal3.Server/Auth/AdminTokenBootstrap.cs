using Metal3.Server.Hosting;

namespace Metal3.Server.Auth;

/// <summary>
/// With no admin token configured, the first start writes one to <c>&lt;DataDir&gt;/admin.token</c> (mode 0600) and
/// later starts reuse it; only its hash is in the database. Once revoked through the API it stays revoked: the row is
/// kept as a tombstone, so the file (or setting) read again does not bring it back. Several daemons sharing a database
/// each have their own file, so the token's name carries the start of its hash (unique, and the same at every start).
/// </summary>
public sealed partial class AdminTokenBootstrap(TokenStore tokens, Metal3Options options, ILogger<AdminTokenBootstrap> log)
{
    public const string FileName = "admin.token";

    public async Task RunAsync(CancellationToken ct)
    {
        if (options.Auth.Mode == AuthModes.None)
        {
            LogAuthDisabled(log);
            return;
        }
        if (!string.IsNullOrEmpty(options.Auth.AdminToken))
        {
            await EnsureAsync("configured-admin", options.Auth.AdminToken, "Metal3:Auth:AdminToken", ct);
            return;
        }
        string path = Path.Combine(options.FullDataDir, FileName);
        string token;
        if (File.Exists(path))
        {
            token = (await File.ReadAllTextAsync(path, ct)).Trim();
        }
        else
        {
            token = TokenStore.NewToken();
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // 0600 from the first byte: never readable by others, not even briefly.
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using (var file = new FileStream(path, create))
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteLineAsync(token);
            }
            LogTokenWritten(log, path);
        }
        if (await EnsureAsync("admin", token, path, ct))
        {
            LogTokenFile(log, path);
        }
    }

    /// <summary>The token's name: <paramref name="kind"/> and the first 8 hex digits of its hash.</summary>
    public static string NameOf(string kind, string token) => $"{kind}-{TokenStore.Hash(token)[..8]}";

    private async Task<bool> EnsureAsync(string kind, string token, string source, CancellationToken ct)
    {
        string name = NameOf(kind, token);
        if (await tokens.EnsureAsync(name, Roles.Admin, token, ct) == TokenPresence.Revoked)
        {
            LogRevoked(log, name, source);
            return false;
        }
        return true;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Authentication is off (Metal3:Auth:Mode=none); the API is open to every local user")]
    private static partial void LogAuthDisabled(ILogger log);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Wrote a new admin API token to {Path}")]
    private static partial void LogTokenWritten(ILogger log, string path);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Admin API token: {Path}")]
    private static partial void LogTokenFile(ILogger log, string path);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The admin API token '{Name}' ({Source}) was revoked and stays so; create another with an admin token, or remove the file to have a new one written")]
    private static partial void LogRevoked(ILogger log, string name, string source);
}
