using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Server.Hosting;
using Metal3.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Metal3.Server.Tests.Deploy;

/// <summary>The operator's config file (/etc/metal3/appsettings.json, METAL3_CONFIG or --config) and the shipped example.</summary>
[Collection(ReconcileLoopCollection.Name)] // starts a daemon process
public sealed class ConfigFileTests
{
    private static readonly string Example = Repository.Path("deploy", "appsettings.example.json");

    [Fact]
    public void The_command_line_names_the_file_before_the_environment_and_nothing_is_read_unasked()
    {
        Assert.Equal("/a.json", ConfigFile.Locate("/a.json", "/b.json"));
        Assert.Equal("/b.json", ConfigFile.Locate(null, "/b.json"));
        Assert.Null(ConfigFile.Locate(" ", ""));
    }

    [Fact]
    public void The_file_overrides_appsettings_and_the_command_line_overrides_the_file()
    {
        string file = WriteConfig("""{"Metal3": {"Jobs": {"Workers": 7}, "Api": {"MaxBodyBytes": 4096}}}""");
        var builder = WebApplication.CreateBuilder(["--config", file, "--Metal3:Api:MaxBodyBytes=8192"]);

        builder.AddMetal3ConfigFile();

        Assert.Equal("7", builder.Configuration["Metal3:Jobs:Workers"]);
        Assert.Equal("8192", builder.Configuration["Metal3:Api:MaxBodyBytes"]);
        Assert.Equal("token", builder.Configuration["Metal3:Auth:Mode"]); // still from the shipped appsettings.json
    }

    [Fact]
    public void A_missing_named_file_is_a_clear_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"metal3-missing-{Guid.NewGuid():N}.json");
        var builder = WebApplication.CreateBuilder(["--config", missing]);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMetal3ConfigFile());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_daemon_takes_its_admin_token_from_the_config_file()
    {
        string token = "m3_from-the-config-file-" + Guid.NewGuid().ToString("N");
        string file = WriteConfig(new JsonObject { ["Metal3"] = new JsonObject { ["Auth"] = new JsonObject { ["AdminToken"] = token } } }.ToJsonString());
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-config-{Guid.NewGuid():N}");

        await using var daemon = await DaemonProcess.StartAsync(dir, null, "--config", file);
        using var http = new HttpClient { BaseAddress = new Uri(daemon.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/hosts")).StatusCode);
        Assert.False(File.Exists(Path.Combine(dir, "admin.token")), "a configured admin token means no token file");
    }

    [Fact]
    public async Task The_daemon_starts_on_postgresql_with_the_example_settings()
    {
        var (dir, postgres) = await TestStores.NewAsync(StoreKind.Postgres, "example_config");

        // Only the password differs from the example: the database is the test's own PostgreSQL.
        await using var daemon = await DaemonProcess.StartAsync(dir, null, "--config", Example, "--ConnectionStrings:Metal3", postgres!);
        using var api = daemon.Client();

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/hosts")).StatusCode);
        Assert.False(File.Exists(Path.Combine(dir, "metal3.db")), "the example selects PostgreSQL, not SQLite");
    }

    [Fact]
    public void The_example_settings_parse_and_bind()
    {
        // As .NET reads it: comments and trailing commas allowed.
        using var _ = JsonDocument.Parse(File.ReadAllText(Example),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var config = new ConfigurationBuilder().AddJsonFile(Example).Build();

        var options = config.GetSection(Metal3Options.Section).Get<Metal3Options>()!;
        Assert.Equal(Metal3.Data.DatabaseProvider.Postgres, options.Database.Provider);
        Assert.Equal("token", options.Auth.Mode);
        Assert.StartsWith("Host=", config.GetConnectionString("Metal3"), StringComparison.Ordinal);
        Assert.Equal("off", config["Metal3:Pxe:Dhcp:Mode"]);
        Assert.Null(config["Metal3:Pxe:Interface"]); // network boot stays off until the operator names an interface
        Assert.True(Auth.LoopbackGuard.IsLoopback(config["Urls"]!));
    }

    private static string WriteConfig(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"metal3-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
