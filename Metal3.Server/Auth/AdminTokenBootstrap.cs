using Metal3.Server.Hosting;

namespace Metal3.Server.Auth;

/// <summary>
/// With no admin token configured, the first start writes one to <c>&lt;DataDir&gt;/admin.token</c> (mode 0600) and
/// later starts reuse it; only its hash is in the database.
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
            await tokens.EnsureAsync("configured admin", Roles.Admin, options.Auth.AdminToken, ct);
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
        await tokens.EnsureAsync("admin (" + FileName + ")", Roles.Admin, token, ct);
        LogTokenFile(log, path);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Authentication is off (Metal3:Auth:Mode=none); the API is open to every local user")]
    private static partial void LogAuthDisabled(ILogger log);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Wrote a new admin API token to {Path}")]
    private static partial void LogTokenWritten(ILogger log, string path);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Admin API token: {Path}")]
    private static partial void LogTokenFile(ILogger log, string path);
}
