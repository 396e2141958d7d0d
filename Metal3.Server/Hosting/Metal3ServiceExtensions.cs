using FluentValidation;
using Metal3.Data;
using Metal3.Drivers;
using Metal3.Server.Agent;
using Metal3.Server.Claims;
using Metal3.Server.HostSets;
using Metal3.Server.Jobs;
using Metal3.Server.Pxe;
using Metal3.Server.VirtualMedia;
using Metal3.Server.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;
using Metal3.Server.Auth;
using Metal3.Server.Dashboard;
using Metal3.Server.Security;
using Metal3.Server.Watch;
using Metal3.Server.Metrics;
using Microsoft.AspNetCore.DataProtection;

namespace Metal3.Server.Hosting;

public static class Metal3ServiceExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:6385";

    /// <summary>Everything the daemon needs, from configuration. Throws with an operator-readable message on bad settings.</summary>
    public static WebApplicationBuilder AddMetal3(this WebApplicationBuilder builder)
    {
        // First: what follows registers services on these values, and an operator wants every mistake named at once.
        Metal3Configuration.ThrowIfInvalid(builder.Configuration);
        builder.AddMetal3Logging();
        builder.QuietRequestsWhenUnlogged();
        var options = builder.Configuration.GetSection(Metal3Options.Section).Get<Metal3Options>() ?? new Metal3Options();
        builder.Services.AddSingleton(options);
        builder.Services.AddMetal3Options();
        builder.Services.AddGracefulStop();
        builder.Services.AddExceptionHandler<DatabaseOutageHandler>();

        var urls = ListeningUrls(builder.Configuration);
        if (!LoopbackGuard.ConfiguredUrls(builder.Configuration).Any())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        CreatePrivateDirectory(options.FullDataDir);
        var database = DatabaseOptionsFrom(builder.Configuration, options);
        builder.Services.AddMetal3Data(database);
        builder.Services.AddMetal3Drivers();
        builder.Services.AddMetal3Metrics();
        builder.Services.AddMetal3HealthChecks();
        builder.Services.AddMetal3Jobs(builder.Configuration, database);
        builder.Services.AddMetal3Claims(builder.Configuration);
        builder.Services.AddMetal3HostSets();
        builder.Services.AddMetal3Watch();
        builder.Services.AddMetal3Agent(builder.Configuration);
        AddDataProtection(builder.Services, options);

        // Every daemon on one database reads the database's time (leases, schedules, events), whatever its own clock says.
        builder.Services.AddSingleton(new DatabaseClock(TimeProvider.System));
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<DatabaseClock>());
        builder.Services.AddSingleton<DatabaseClockSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseClockSync>());
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<TokenAuthenticator>();
        // Writes name their caller in their events (HostServices.Actor, ClaimServices.Actor).
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AdminTokenBootstrap>();
        builder.Services.AddSingleton<BmcPasswordProtector>();
        builder.Services.AddSingleton<IValidator<HostRequest>, HostRequestValidator>();
        builder.Services.AddSingleton<IValidator<TokenRequest>, TokenRequestValidator>();
        builder.Services.AddScoped<HostServices>();
        builder.Services.AddSingleton<DashboardAssets>();

        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanRead, p => p.RequireRole(Roles.Admin, Roles.Reader))
            .AddPolicy(Roles.CanWrite, p => p.RequireRole(Roles.Admin))
            // A route mapped without saying who may call it is admin-only, not open: anonymous is always a decision
            // (AllowAnonymous), never an omission.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName)
                .RequireRole(Roles.Admin).Build());

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Api.MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddMetal3OpenApi();
        builder.AddMetal3Pxe(options.FullDataDir, urls);
        builder.Services.AddMetal3VirtualMedia();
        return builder;
    }

    /// <summary>The API's URLs as configured, else <see cref="DefaultUrl"/>.</summary>
    public static List<string> ListeningUrls(IConfiguration config) =>
        LoopbackGuard.ConfiguredUrls(config).DefaultIfEmpty(DefaultUrl).ToList();

    public static DatabaseOptions DatabaseOptionsFrom(IConfiguration config, Metal3Options options)
    {
        string? cs = config.GetConnectionString("Metal3");
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(cs))
            {
                throw new InvalidOperationException(
                    "Metal3:Database:Provider=postgres needs ConnectionStrings:Metal3 (e.g. ConnectionStrings__Metal3='Host=…;Database=metal3;Username=…;Password=…')");
            }
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = WithAutoPrepare(cs) };
        }
        return new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = !string.IsNullOrWhiteSpace(cs) ? cs : DataServiceCollectionExtensions.SqliteConnectionString(Path.Combine(options.FullDataDir, "metal3.db")),
        };
    }

    /// <summary>
    /// The reconcile loop runs the same few statements thousands of times; letting Npgsql prepare them saves PostgreSQL
    /// the parsing and planning (measured: 1,000 fake hosts provisioned in 55 s instead of 64 s on 2 cores).
    /// An explicit <c>Max Auto Prepare</c> in the connection string wins.
    /// </summary>
    private static string WithAutoPrepare(string cs)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        if (!cs.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 50;
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// Keys for BMC passwords: in the data directory with SQLite (one daemon); in the database with PostgreSQL, so every
    /// daemon sharing it can read what another wrote.
    /// </summary>
    private static void AddDataProtection(IServiceCollection services, Metal3Options options)
    {
        var dp = services.AddDataProtection().SetApplicationName("metal3");
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            dp.PersistKeysToDbContext<Metal3.Data.Metal3DbContext>();
        }
        else
        {
            dp.PersistKeysToFileSystem(CreatePrivateDirectory(Path.Combine(options.FullDataDir, "keys")));
        }
    }

    /// <summary>The data directory holds keys and tokens: owner-only from the moment it exists.</summary>
    internal static DirectoryInfo CreatePrivateDirectory(string path) =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
