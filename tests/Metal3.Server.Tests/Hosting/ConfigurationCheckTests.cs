using Metal3.Server.Hosting;
using Metal3.Server.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Metal3.Server.Tests.Hosting;

/// <summary><c>Metal3:*</c> as an operator writes it: a typo or a bad value stops the daemon, every one named at once.</summary>
public sealed class ConfigurationCheckTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static void Names(string message, params string[] problems) => Assert.All(problems, p => Assert.Contains(p, message));

    private static string Refused(params (string, string)[] settings) =>
        Assert.Throws<InvalidOperationException>(() => Metal3Configuration.ThrowIfInvalid(Config(settings))).Message;

    [Fact]
    public void Defaults_and_every_documented_key_are_accepted()
    {
        Metal3Configuration.ThrowIfInvalid(Config());
        Metal3Configuration.ThrowIfInvalid(Config(
            ("Metal3:DataDir", "/var/lib/metal3"), ("Metal3:Database:Provider", "SQLite"), ("Metal3:Auth:Mode", "token"),
            ("Metal3:Auth:AdminToken", "m3_x"), ("Metal3:Api:MaxBodyBytes", "4096"), ("Metal3:Jobs:Enabled", "false"),
            ("Metal3:Jobs:Workers", "4"), ("Metal3:Jobs:Lease", "00:00:08"), ("Metal3:Watch:Retention", "00:00:00"),
            ("Metal3:Agent:Enabled", "true"), ("Metal3:Agent:HeartbeatInterval", "00:00:02"), ("Metal3:Metrics:Anonymous", "true"),
            ("Metal3:Logging:Format", "json"), ("Metal3:Pxe:Dhcp:Mode", "off"), ("Metal3:Pxe:Tftp:Root", "/nonexistent"),
            ("Metal3:Pxe:Tftp:MaxSessionsPerClient", "4"), ("Metal3:Pxe:Dhcp:KnownClientsOnly", "true"),
            ("Metal3:Pxe:Dhcp:DnsServers:0", "198.18.0.1"), ("Metal3:Pxe:Dhcp:Reservations:52-54-00-12-34-56", "198.18.0.20")));
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_key_it_most_likely_meant()
    {
        var message = Refused(("Metal3:Jobs:Workerz", "4"), ("Metal3:Pxe:Dhcp:RangStart", "198.18.0.100"), ("Metal3:Colour", "blue"));

        Names(message,
            "Metal3:Jobs:Workerz is not a setting (did you mean Metal3:Jobs:Workers?)",
            "Metal3:Pxe:Dhcp:RangStart is not a setting (did you mean Metal3:Pxe:Dhcp:RangeStart?)",
            "Metal3:Colour is not a setting");
        Assert.DoesNotContain("Metal3:Colour is not a setting (", message);
    }

    [Fact]
    public void Every_problem_in_every_section_is_reported_at_once()
    {
        var message = Refused(
            ("Metal3:Database:Provider", "mysql"), ("Metal3:Jobs:Workers", "many"), ("Metal3:Jobs:SweepInterval", "00:00:00"),
            ("Metal3:Watch:PollInterval", "-00:00:01"), ("Metal3:Agent:BootTimeout", "soon"), ("Metal3:Auth:Mode", "sometimes"),
            ("Metal3:Logging:Format", "xml"), ("Metal3:Pxe:Dhcp:Mode", "full"), ("Metal3:Metrics:Anonymus", "true"));

        Names(message,
            "Metal3:Database:Provider must be one of sqlite, postgres, not 'mysql'",
            "Metal3:Jobs:Workers must be a whole number, not 'many'",
            "Metal3:Jobs:SweepInterval must be longer than zero",
            "Metal3:Watch:PollInterval must be longer than zero",
            "Metal3:Agent:BootTimeout must be a duration written hh:mm:ss",
            "Metal3:Auth:Mode must be 'token' or 'none'",
            "Metal3:Logging:Format must be 'text' or 'json', not 'xml'",
            "Metal3:Pxe:Dhcp:Mode is set but Metal3:Pxe:Interface is not",
            "Metal3:Metrics:Anonymus is not a setting (did you mean Metal3:Metrics:Anonymous?)");
    }

    [Fact]
    public void Settings_of_the_metal3_section_itself_are_checked_with_the_rest()
    {
        var message = Refused(("Metal3:Auth:Mode", "sometimes"), ("Metal3:Api:MaxBodyBytes", "0"), ("Metal3:Database:Provider", "postgres"),
            ("Metal3:Watch:KeepAlive", "00:00:00"));

        Names(message,
            "Metal3:Auth:Mode must be 'token' or 'none', not 'sometimes'",
            "Metal3:Api:MaxBodyBytes must be at least 1",
            "Metal3:Database:Provider=postgres needs ConnectionStrings:Metal3",
            "Metal3:Watch:KeepAlive must be longer than zero");
    }

    [Fact]
    public void The_shipped_settings_files_use_only_known_keys()
    {
        string root = Repository.Root;
        foreach (string file in new[] { Path.Combine(root, "Metal3.Server", "appsettings.json"), Path.Combine(root, "deploy", "appsettings.example.json") })
        {
            Metal3Configuration.ThrowIfInvalid(new ConfigurationBuilder().AddJsonFile(file).Build());
        }
    }

    [Fact]
    public async Task The_daemon_does_not_start_on_a_misspelt_key()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "typo");
        await using var app = new Metal3App(StoreKind.Sqlite, dir, null, new Dictionary<string, string?> { ["Metal3:Watch:Retension"] = "02:00:00" });

        var e = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Metal3:Watch:Retension is not a setting (did you mean Metal3:Watch:Retention?)", e.ToString(), StringComparison.Ordinal);
    }
}
