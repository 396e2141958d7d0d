using System.Text.Json.Nodes;
using Metal3.Cli.Hosts;

namespace Metal3.Cli.Tests.Hosts;

public class HostFileTests
{
    [Theory]
    [InlineData("""{"name": "a"}""")]
    [InlineData("""[{"name": "a"}, {"name": "b"}]""")]
    [InlineData("""{"items": [{"name": "a"}], "continue": null}""")]
    [InlineData("name: a\n---\n- name: b\n---\nitems:\n  - name: c\n")]
    public void One_host_lists_items_and_yaml_streams_are_all_hosts(string text)
    {
        var hosts = HostFile.Parse(text, "test");

        Assert.Equal(new[] { "a", "b", "c" }[..hosts.Count], hosts.Select(HostFile.NameOf));
    }

    [Theory]
    [InlineData("", "no hosts")]
    [InlineData("- name: a\n- name: a\n", "'a' appears more than once")]
    [InlineData("- 42\n", "expected a host")]
    [InlineData("{\"name\": ", "not valid JSON")]
    public void Files_without_usable_hosts_are_usage_errors(string text, string message)
    {
        var e = Assert.Throws<CliException>(() => HostFile.Parse(text, "test"));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains(message, e.Message);
    }
}
