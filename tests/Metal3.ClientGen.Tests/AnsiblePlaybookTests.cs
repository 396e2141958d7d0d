using System.Text.RegularExpressions;
using Metal3.ClientGen.Client.Models;

namespace Metal3.ClientGen.Tests;

/// <summary>
/// deploy/examples/ansible, as an operator runs it (Debian's ansible-core, ansible.builtin.uri only) against the
/// daemon: the first run enrolls and provisions, the second finds everything as wanted and changes nothing.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed partial class AnsiblePlaybookTests(DaemonFixture daemon)
{
    [Fact]
    public async Task The_playbook_changes_what_it_should_then_nothing_when_run_again()
    {
        var first = await RunPlaybookAsync();
        var second = await RunPlaybookAsync();

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(new Dictionary<string, int> { ["ansible-0"] = 1, ["ansible-1"] = 2 }, Changed(first.Output));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(new Dictionary<string, int> { ["ansible-0"] = 0, ["ansible-1"] = 0 }, Changed(second.Output));

        var provisioned = await daemon.Client.Api.V1.Hosts["ansible-1"].GetAsync();
        Assert.Equal(ProvisioningState.Provisioned, provisioned!.Status!.Provisioning!.State);
        var available = await daemon.Client.Api.V1.Hosts["ansible-0"].GetAsync();
        Assert.Equal(ProvisioningState.Available, available!.Status!.Provisioning!.State);
        Assert.Equal("worker", available.Labels!.AdditionalData["role"]);
        Assert.Null(available.Image);
    }

    private async Task<RunResult> RunPlaybookAsync()
    {
        string playbooks = Repository.Path("deploy", "examples", "ansible");
        string temp = Path.Combine(Path.GetTempPath(), $"metal3-ansible-{Guid.NewGuid():N}");
        var start = Run.StartInfo(Run.Require("ansible-playbook", "ansible-core"), ["-i", "inventory.yml", "playbook.yml"]);
        start.WorkingDirectory = playbooks;
        start.Environment["METAL3_URL"] = daemon.Url;
        start.Environment["METAL3_TOKEN"] = daemon.Token;
        start.Environment["ANSIBLE_NOCOLOR"] = "1";
        start.Environment["ANSIBLE_LOCAL_TEMP"] = temp;
        start.Environment["ANSIBLE_REMOTE_TEMP"] = temp;
        try
        {
            return await Run.Async(start, TimeSpan.FromMinutes(4));
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>The PLAY RECAP's changed= count of each host.</summary>
    private static Dictionary<string, int> Changed(string output) =>
        RecapLine().Matches(output).ToDictionary(m => m.Groups["host"].Value, m => int.Parse(m.Groups["changed"].Value,
            System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<host>\S+)\s+:\s+ok=\d+\s+changed=(?<changed>\d+)", RegexOptions.Multiline)]
    private static partial Regex RecapLine();
}
