using Metal3.Data;
using Metal3.Server.Auth;
using Metal3.Server.Pxe;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Hosting;

/// <summary>
/// The <c>Metal3</c> section's own settings, and the sections under it that are read by hand (logging format, network
/// boot), so that their problems are reported with everyone else's.
/// </summary>
public sealed class Metal3OptionsValidator(IConfiguration config) : IValidateOptions<Metal3Options>
{
    public ValidateOptionsResult Validate(string? name, Metal3Options options)
    {
        var checks = new SettingChecks(Metal3Options.Section);
        string mode = options.Auth.Mode;
        if (mode is not (AuthModes.Token or AuthModes.None))
        {
            checks.Check(false, "Auth:Mode", $"must be '{AuthModes.Token}' or '{AuthModes.None}', not '{mode}'");
        }
        else if (mode == AuthModes.None && LoopbackGuard.NonLoopback(Metal3ServiceExtensions.ListeningUrls(config)) is { } open)
        {
            checks.Check(false, "Auth:Mode=none", $"is refused: the API would listen on {open}, which is not loopback. Use tokens, or bind to 127.0.0.1.");
        }
        checks.Check(options.Database.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(config.GetConnectionString("Metal3")),
            "Database:Provider=postgres", "needs ConnectionStrings:Metal3 (e.g. ConnectionStrings__Metal3='Host=…;Database=metal3;Username=…;Password=…')");
        checks.AtLeastOne("Api:MaxBodyBytes", options.Api.MaxBodyBytes);
        return checks
            .Add(LogFormat.Problem(config) is { } logging ? [logging] : [])
            .Add(PxeConfiguration.Problems(config, options.FullDataDir))
            .Result;
    }
}
