using Metal3.Cli.Connection;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Connection;

public class ConnectionSettingsTests
{
    private readonly string _home = Metal3CtlProcess.NewDirectory("settings");

    private Dictionary<string, string?> Env(params (string, string)[] vars)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = _home };
        foreach (var (k, v) in vars)
        {
            env[k] = v;
        }
        return env;
    }

    private void Config(string text)
    {
        Directory.CreateDirectory(Path.Combine(_home, ".config", "metal3"));
        File.WriteAllText(Path.Combine(_home, ".config", "metal3", "config.yaml"), text);
    }

    [Fact]
    public void Flags_win_over_the_environment_which_wins_over_the_config_file()
    {
        Config("url: http://config:1\ntoken: from-config\n");

        var flags = ConnectionSettings.Resolve("http://flag:1", "from-flag", Env(("METAL3_URL", "http://env:1"), ("METAL3_TOKEN", "from-env")), _home);
        var env = ConnectionSettings.Resolve(null, null, Env(("METAL3_URL", "http://env:1"), ("METAL3_TOKEN", "from-env")), _home);
        var config = ConnectionSettings.Resolve(null, null, Env(), _home);

        Assert.Equal(("http://flag:1/", "from-flag"), (flags.Url.ToString(), flags.Token));
        Assert.Equal(("http://env:1/", "from-env"), (env.Url.ToString(), env.Token));
        Assert.Equal(("http://config:1/", "from-config"), (config.Url.ToString(), config.Token));
    }

    [Fact]
    public void Without_anything_the_local_daemon_and_its_admin_token_file_are_used()
    {
        Directory.CreateDirectory(Path.Combine(_home, "data"));
        File.WriteAllText(Path.Combine(_home, "data", "admin.token"), "m3_local\n");

        var s = ConnectionSettings.Resolve(null, null, Env(), _home);

        Assert.Equal(ConnectionSettings.DefaultUrl + "/", s.Url.ToString());
        Assert.Equal("m3_local", s.Token);
    }

    [Fact]
    public void The_local_admin_token_is_never_sent_to_a_remote_daemon()
    {
        Directory.CreateDirectory(Path.Combine(_home, "data"));
        File.WriteAllText(Path.Combine(_home, "data", "admin.token"), "m3_local\n");

        var s = ConnectionSettings.Resolve("http://metal3.example:6385", null, Env(), _home);

        Assert.Null(s.Token);
    }

    [Fact]
    public void Xdg_config_home_is_where_the_config_file_lives_when_set()
    {
        string xdg = Path.Combine(_home, "xdg");
        Assert.Equal(Path.Combine(xdg, "metal3", "config.yaml"), ConnectionSettings.ConfigFilePath(Env(("XDG_CONFIG_HOME", xdg))));
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("not a url")]
    public void A_url_that_is_not_http_is_a_usage_error(string url)
    {
        var e = Assert.Throws<CliException>(() => ConnectionSettings.Resolve(url, null, Env(), _home));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }
}
