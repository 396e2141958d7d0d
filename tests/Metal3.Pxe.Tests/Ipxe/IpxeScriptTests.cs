using Metal3.Core.Provisioning;
using Metal3.Pxe.Ipxe;

namespace Metal3.Pxe.Tests.Ipxe;

public class IpxeScriptTests
{
    private static readonly AgentBoot Agent = new(
        new Uri("http://198.18.0.1:8080/images/agent/vmlinuz"),
        new Uri("http://198.18.0.1:8080/images/agent/initramfs"),
        new Uri("http://198.18.0.1:8080"),
        "console=ttyS0,115200");

    [Theory]
    [InlineData(ProvisioningState.Registering, false, true)]
    [InlineData(ProvisioningState.Inspecting, false, true)]
    [InlineData(ProvisioningState.Preparing, false, true)]
    [InlineData(ProvisioningState.Provisioning, true, true)]
    [InlineData(ProvisioningState.Deprovisioning, false, true)]
    // Available with an image: provisioning starts next, the agent must be running.
    [InlineData(ProvisioningState.Available, true, true)]
    // Available with nothing to do, provisioned, or not ours to touch: the local disk.
    [InlineData(ProvisioningState.Available, false, false)]
    [InlineData(ProvisioningState.Provisioned, true, false)]
    [InlineData(ProvisioningState.ExternallyProvisioned, false, false)]
    [InlineData(ProvisioningState.Deleting, false, false)]
    public void The_agent_boots_only_in_states_that_expect_it(ProvisioningState state, bool hasImage, bool agent)
    {
        var script = IpxeScript.Render("52:54:00:12:34:56", new BootHost("worker-0", state, hasImage), Agent, discovery: false);

        Assert.StartsWith("#!ipxe\n", script);
        Assert.Equal(agent, script.Contains("kernel http://198.18.0.1:8080/images/agent/vmlinuz initrd=initramfs metal3.api=http://198.18.0.1:8080"));
        Assert.Equal(!agent, script.Contains("sanboot --no-describe --drive 0x80"));
    }

    [Fact]
    public void An_unknown_machine_boots_the_agent_only_with_discovery()
    {
        Assert.Contains("exit", IpxeScript.Render("52:54:00:12:34:56", null, Agent, discovery: false));
        Assert.Contains("initrd --name initramfs http://198.18.0.1:8080/images/agent/initramfs",
            IpxeScript.Render("52:54:00:12:34:56", null, Agent, discovery: true));
    }

    [Fact]
    public void A_hostile_mac_cannot_inject_script_lines()
    {
        var script = IpxeScript.Render("x\nshell\n", null, Agent, discovery: true);

        Assert.DoesNotContain("\nshell", script);
    }
}
