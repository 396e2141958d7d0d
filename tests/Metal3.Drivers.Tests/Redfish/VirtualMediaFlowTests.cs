using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// The state machine booting a <c>redfish-virtualmedia</c> host into the agent through the real Redfish driver, against
/// the test Redfish service: the ISO goes in, a one-time boot from the CD is set, the host is reset; when the agent's
/// command has ended the CD comes out. One set keeps its CD under the system (DMTF), one under its manager (HPE iLO).
/// </summary>
public sealed class VirtualMediaFlowTests
{
    private static readonly Uri Iso = new("http://198.18.0.1:8080/boot/iso/0b0e/0123456789abcdef0123456789abcdef.iso");

    public static TheoryData<string, string> Sets => new()
    {
        { "dmtf-public-rackmount1", "/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1" },
        { "cray-hpe-DL325", "/redfish/v1/Managers/1/VirtualMedia/2" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task Inspection_inserts_the_iso_boots_the_cd_once_resets_and_ejects_when_the_agent_is_done(string set, string cdPath)
    {
        await using var server = await RedfishTestServer.StartAsync(set);
        await using var driver = TestDriver.Create();
        var host = Enrolled(server, ProvisioningState.Inspecting);
        var agent = new ScriptedAgent();

        await StepAsync(driver, server, host, agent);

        // Logins aside, in this order: the ISO in (an action or a PATCH, as the BMC offers), the one-time boot, the reset.
        var writes = Writes(server);
        int insert = writes.FindLastIndex(r => IsInsert(r, cdPath));
        int boot = writes.FindIndex(r => r.Method == "PATCH" && r.Body?["Boot"] is not null);
        int reset = writes.FindIndex(r => r.Path.TrimEnd('/').EndsWith("/Actions/ComputerSystem.Reset", StringComparison.Ordinal));
        Assert.True(insert >= 0 && insert < boot && boot < reset && reset == writes.Count - 1, string.Join('\n', writes));
        Assert.Equal(Iso.ToString(), writes[insert].Body!["Image"]!.GetValue<string>());
        Assert.Equal("Cd", writes[boot].Body!["Boot"]!["BootSourceOverrideTarget"]!.GetValue<string>());
        Assert.Equal("Once", writes[boot].Body!["Boot"]!["BootSourceOverrideEnabled"]!.GetValue<string>());
        Assert.True(server.Tree.Get(cdPath)!["Inserted"]!.GetValue<bool>());
        Assert.Equal(ProvisioningState.Inspecting, host.State);
        Assert.Null(host.Status.ErrorType);

        // The agent reports; the CD comes out in the same step, and inspection is done.
        server.ClearRequests();
        agent.Next = new AgentProgress.Succeeded();
        await StepAsync(driver, server, host, agent);

        var eject = Assert.Single(Writes(server));
        Assert.True(IsEject(eject, cdPath), eject.ToString());
        Assert.False(server.Tree.Get(cdPath)!["Inserted"]!.GetValue<bool>());
        Assert.Equal(ProvisioningState.Preparing, host.State);
        Assert.DoesNotContain(host.NewEvents, e => e.Warning);
    }

    [Fact]
    public async Task A_failed_deploy_ejects_the_cd_too()
    {
        await using var server = await RedfishTestServer.StartAsync("dmtf-public-rackmount1");
        await using var driver = TestDriver.Create();
        var host = Enrolled(server, ProvisioningState.Provisioning,
            s => s with { Image = new ImageSpec { Url = "http://198.18.0.1:8080/images/disk.raw", Checksum = new string('a', 64) } });
        var agent = new ScriptedAgent();
        await StepAsync(driver, server, host, agent);
        server.ClearRequests();

        agent.Next = new AgentProgress.Failed("checksum mismatch");
        await StepAsync(driver, server, host, agent);

        Assert.Contains(Writes(server), r => IsEject(r, "/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1"));
        Assert.False(server.Tree.Get("/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1")!["Inserted"]!.GetValue<bool>());
        Assert.Equal(ErrorType.Provisioning, host.Status.ErrorType);
        Assert.Contains("checksum mismatch", host.Status.ErrorMessage);
    }

    [Fact]
    public async Task Media_that_cannot_be_used_fails_the_state_with_the_reason_and_touches_neither_bmc_nor_agent()
    {
        await using var server = await RedfishTestServer.StartAsync("dmtf-public-rackmount1");
        await using var driver = TestDriver.Create();
        var host = Enrolled(server, ProvisioningState.Inspecting);
        var agent = new ScriptedAgent();

        await StepAsync(driver, server, host, agent, new AgentMedia.Unusable("Metal3:Pxe:HttpUrl is not set"));

        Assert.Empty(Writes(server));
        Assert.Equal(0, agent.Started);
        Assert.Equal(ErrorType.Inspection, host.Status.ErrorType);
        Assert.Contains("Metal3:Pxe:HttpUrl is not set", host.Status.ErrorMessage);
    }

    /// <summary>What the driver changed on the BMC, logins left out.</summary>
    private static List<RecordedRequest> Writes(RedfishTestServer server) =>
        [.. server.Requests.Where(r => r.IsMutation && !r.Path.Contains("/SessionService/", StringComparison.Ordinal))];

    private static bool IsInsert(RecordedRequest r, string cdPath) =>
        r.Path.TrimEnd('/') == cdPath + "/Actions/VirtualMedia.InsertMedia"
        || (r.Method == "PATCH" && r.Path.TrimEnd('/') == cdPath && r.Body?["Inserted"]?.GetValue<bool>() == true);

    private static bool IsEject(RecordedRequest r, string cdPath) =>
        r.Path.TrimEnd('/') == cdPath + "/Actions/VirtualMedia.EjectMedia"
        || (r.Method == "PATCH" && r.Path.TrimEnd('/') == cdPath && r.Body?["Inserted"]?.GetValue<bool>() == false);

    private static Host Enrolled(RedfishTestServer server, ProvisioningState state, Func<HostSpec, HostSpec>? spec = null)
    {
        var now = DateTimeOffset.UtcNow;
        var baseSpec = new HostSpec
        {
            Name = "vm-0",
            BootMacAddress = "52:54:00:00:00:01",
            Online = true,
            Bmc = new BmcDetails { Address = $"redfish-virtualmedia+http://127.0.0.1:{server.Port}{server.Tree.FirstSystemPath()}" },
        };
        var status = HostStatus.Initial(now);
        status = status with { Provisioning = status.Provisioning with { State = state } };
        return Host.Restore(Guid.NewGuid(), "vm-0", now, 1, spec?.Invoke(baseSpec) ?? baseSpec, null, status, operation: null,
            deletionRequestedAt: null, rebootRequestedAt: null, inspectRequestedAt: null, detached: false);
    }

    private static async Task StepAsync(Metal3.Drivers.Redfish.RedfishDriver driver, RedfishTestServer server, Host host, ScriptedAgent agent,
        AgentMedia? media = null)
    {
        var bmc = driver.Connect(TestDriver.Target(server.Address(server.Tree.FirstSystemPath())));
        var outcome = await StateMachine.StepAsync(host.Snapshot(DateTimeOffset.UtcNow), bmc, agent, CancellationToken.None,
            media ?? new AgentMedia.VirtualCd(Iso));
        host.ApplyReconcile(outcome);
    }

    /// <summary>A deploy agent that takes every command and reports what the test sets next (the agent itself is tested elsewhere).</summary>
    private sealed class ScriptedAgent : IDeployAgent
    {
        public AgentProgress Next { get; set; } = new AgentProgress.Running();
        public int Started { get; private set; }

        public Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct)
        {
            Started++;
            return Task.FromResult<AgentProgress>(new AgentProgress.Running());
        }

        public Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) => Task.FromResult(Next);
    }
}
