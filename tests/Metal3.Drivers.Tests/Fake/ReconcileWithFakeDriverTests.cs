using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;

namespace Metal3.Drivers.Tests.Fake;

/// <summary>Each state's step through the fake driver: the happy path and each failure path.</summary>
public class ReconcileWithFakeDriverTests
{
    private static readonly ImageSpec Image = new() { Url = "http://images/img.raw", Checksum = new string('a', 64) };
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeDriver _fake;

    public ReconcileWithFakeDriverTests() => _fake = new FakeDriver(_clock);

    [Fact]
    public async Task Registering_with_a_reachable_bmc_moves_to_inspecting_and_sets_good_credentials()
    {
        var host = Host(ProvisioningState.Registering);
        var outcome = await Step(host);

        Assert.Equal(ProvisioningState.Inspecting, host.State);
        Assert.True(host.Status.GoodCredentials);
        Assert.Equal(OperationalStatus.Ok, host.Status.OperationalStatus);
        Assert.Equal(_clock.GetUtcNow(), outcome.NextLookAt);
        Assert.Equal(_clock.GetUtcNow(), host.Status.OperationHistory.Register.End);
        Assert.Equal(_clock.GetUtcNow(), host.Status.OperationHistory.Inspect.Start);
        var moved = Assert.Single(host.NewEvents, e => e.Reason == "StateChanged");
        Assert.Equal((ProvisioningState.Registering, ProvisioningState.Inspecting), (moved.From, moved.To));
    }

    [Fact]
    public async Task Registering_with_wrong_credentials_is_a_registration_error_that_backs_off()
    {
        var host = Host(ProvisioningState.Registering, "fail=credentials");
        var first = await Step(host);
        var second = await Step(host);

        Assert.Equal(ProvisioningState.Registering, host.State);
        Assert.Equal(ErrorType.Registration, host.Status.ErrorType);
        Assert.Contains("refused the credentials", host.Status.ErrorMessage);
        Assert.False(host.Status.GoodCredentials);
        Assert.Equal(OperationalStatus.Error, host.Status.OperationalStatus);
        Assert.Equal(2, host.Status.ErrorCount);
        Assert.Equal(_clock.GetUtcNow() + Backoff.After(1), first.NextLookAt);
        Assert.Equal(_clock.GetUtcNow() + Backoff.After(2), second.NextLookAt);
        Assert.All(host.NewEvents, e => Assert.True(e.Warning));
    }

    [Fact]
    public async Task Registering_an_externally_provisioned_host_manages_only_its_power()
    {
        var host = Host(ProvisioningState.Registering, spec: s => s with { ExternallyProvisioned = true });
        await Step(host);
        Assert.Equal(ProvisioningState.ExternallyProvisioned, host.State);
    }

    [Fact]
    public async Task Inspecting_without_delay_records_plausible_hardware_and_moves_to_preparing()
    {
        var host = Host(ProvisioningState.Inspecting);
        await Step(host);

        Assert.Equal(ProvisioningState.Preparing, host.State);
        var hw = host.Status.Hardware!;
        Assert.True(hw.Cpu!.Count >= 8);
        Assert.Equal("52:54:00:00:00:01", hw.Nics[0].Mac);
        Assert.Equal(2, hw.Storage.Count);
    }

    [Fact]
    public async Task Inspecting_with_a_delay_waits_without_blocking_then_completes()
    {
        var host = Host(ProvisioningState.Inspecting, "delayMs=5000");
        var started = await Step(host);
        Assert.Equal(ProvisioningState.Inspecting, host.State);
        Assert.Equal(new BootOverride(BootDevice.Pxe, BootMode.Uefi, Persistent: false), _fake.Machine("h1").Boot);
        Assert.Equal(1, _fake.Machine("h1").PowerChanges);
        Assert.Equal(OperationKind.Inspect, host.Operation?.Kind);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(2), started.NextLookAt);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Step(host);
        Assert.Equal(ProvisioningState.Inspecting, host.State);

        _clock.Advance(TimeSpan.FromSeconds(4));
        await Step(host);
        Assert.Equal(ProvisioningState.Preparing, host.State);
        Assert.Null(host.Operation);
        Assert.Single(host.NewEvents, e => e.Reason == "AgentCommandStarted");
    }

    [Fact]
    public async Task A_bmc_that_cannot_boot_the_host_into_the_agent_is_a_power_management_error()
    {
        var host = Host(ProvisioningState.Inspecting, "delayMs=5000&fail=power");
        await Step(host);
        Assert.Equal((ProvisioningState.Inspecting, ErrorType.PowerManagement), (host.State, host.Status.ErrorType));
        Assert.Null(host.Operation);
    }

    [Fact]
    public async Task Inspection_failure_is_an_inspection_error()
    {
        var host = Host(ProvisioningState.Inspecting, "fail=inspect");
        await Step(host);
        Assert.Equal((ProvisioningState.Inspecting, ErrorType.Inspection), (host.State, host.Status.ErrorType));
    }

    [Fact]
    public async Task Preparing_erases_metadata_unless_cleaning_is_disabled()
    {
        var cleaned = Host(ProvisioningState.Preparing);
        var skipped = Host(ProvisioningState.Preparing, spec: s => s with { AutomatedCleaningMode = AutomatedCleaningMode.Disabled }, id: "h2");
        await Step(cleaned);
        await Step(skipped);

        Assert.Equal(ProvisioningState.Available, cleaned.State);
        Assert.Contains("disk metadata erased", cleaned.NewEvents.Single(e => e.Reason == "StateChanged").Message);
        Assert.Equal(ProvisioningState.Available, skipped.State);
        Assert.Contains("cleaning disabled", skipped.NewEvents.Single(e => e.Reason == "StateChanged").Message);
        Assert.Null(_fake.Machine("h2").Boot);
    }

    [Fact]
    public async Task Cleaning_failure_while_preparing_is_a_preparation_error()
    {
        var host = Host(ProvisioningState.Preparing, "fail=clean");
        await Step(host);
        Assert.Equal((ProvisioningState.Preparing, ErrorType.Preparation), (host.State, host.Status.ErrorType));
    }

    [Fact]
    public async Task Available_with_an_image_starts_provisioning()
    {
        var host = Host(ProvisioningState.Available, spec: s => s with { Image = Image });
        await Step(host);
        Assert.Equal(ProvisioningState.Provisioning, host.State);
    }

    [Fact]
    public async Task Available_powers_the_host_on_when_online_and_then_rests()
    {
        var host = Host(ProvisioningState.Available, spec: s => s with { Online = true });
        var acting = await Step(host);
        Assert.True(_fake.Machine("h1").PoweredOn);
        Assert.Contains(host.NewEvents, e => e.Reason == "PowerOn");
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(2), acting.NextLookAt);

        var resting = await Step(host);
        Assert.True(host.Status.PoweredOn);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(10), resting.NextLookAt);
    }

    [Fact]
    public async Task Available_shuts_down_gracefully_and_cuts_the_power_after_the_grace_period()
    {
        var host = Host(ProvisioningState.Available, "delayMs=600000", spec: s => s with { Online = false });
        _fake.Machine("h1").PoweredOn = true;
        await Step(host);
        Assert.Equal(OperationKind.SoftPowerOff, host.Operation?.Kind);

        _clock.Advance(TimeSpan.FromMinutes(4));
        await Step(host);
        Assert.Null(host.Operation);
        Assert.Equal(["graceful shutdown requested (spec.online is false)", "power cut"],
            host.NewEvents.Where(e => e.Reason == "PowerOff").Select(e => e.Message));
    }

    [Fact]
    public async Task A_power_failure_is_a_power_management_error()
    {
        var host = Host(ProvisioningState.Available, "fail=power", spec: s => s with { Online = true });
        await Step(host);
        Assert.Equal(ErrorType.PowerManagement, host.Status.ErrorType);
    }

    [Fact]
    public async Task Reboot_and_inspect_requests_are_carried_out_once()
    {
        var host = Host(ProvisioningState.Available, spec: s => s with { Online = true });
        _fake.Machine("h1").PoweredOn = true;
        host.Request(HostAction.Reboot, _clock.GetUtcNow());
        await Step(host);
        Assert.Null(host.RebootRequestedAt);
        Assert.Contains(host.NewEvents, e => e.Reason == "Rebooted");

        host.Request(HostAction.Inspect, _clock.GetUtcNow());
        await Step(host);
        Assert.Null(host.InspectRequestedAt);
        Assert.Equal(ProvisioningState.Inspecting, host.State);
    }

    [Fact]
    public async Task Provisioning_reports_progress_then_records_the_image_and_boots_from_disk()
    {
        var host = Host(ProvisioningState.Provisioning, "delayMs=10000", spec: s => s with { Image = Image, Online = true });
        await Step(host);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Step(host);
        Assert.Equal(FakeAgent.SimulatedImageBytes / 2, host.Status.Provisioning.Progress!.BytesWritten);

        _clock.Advance(TimeSpan.FromSeconds(6));
        await Step(host);
        Assert.Equal(ProvisioningState.Provisioned, host.State);
        Assert.Equal(Image, host.Status.Provisioning.Image);
        Assert.Null(host.Status.Provisioning.Progress);
        Assert.Equal(new BootOverride(BootDevice.Disk, BootMode.Uefi, Persistent: true), _fake.Machine("h1").Boot);
        Assert.NotNull(host.Status.OperationHistory.Provision.End);
    }

    [Fact]
    public async Task The_bmc_calls_a_step_makes_are_on_the_host_timeline_with_their_results()
    {
        var host = Host(ProvisioningState.Provisioning, "delayMs=1000", spec: s => s with { Image = Image, Online = true });
        await Step(host);   // starts the deploy: network boot once, then a reboot into the agent
        _clock.Advance(TimeSpan.FromSeconds(2));
        await Step(host);   // the agent is done: boot from disk, persistently, and reboot
        Assert.Equal(
            ["set boot device pxe (Uefi, next boot only): ok", "set power reboot: ok", "set boot device disk (Uefi, persistent): ok", "set power reboot: ok"],
            host.NewEvents.Where(e => e.Reason == BmcTimeline.Reason).Select(e => e.Message[..e.Message.LastIndexOf(" (", StringComparison.Ordinal)]));
        Assert.All(host.NewEvents.Where(e => e.Reason == BmcTimeline.Reason), e => Assert.False(e.Warning));

        var refusing = Host(ProvisioningState.Available, "fail=power", spec: s => s with { Online = true }, id: "h2");
        await Step(refusing);
        var failed = Assert.Single(refusing.NewEvents, e => e.Reason == BmcTimeline.Reason);
        Assert.StartsWith("set power on: BmcError: simulated", failed.Message);
        Assert.True(failed.Warning);
    }

    [Fact]
    public async Task Provisioning_failure_is_a_provisioning_error()
    {
        var host = Host(ProvisioningState.Provisioning, "fail=provision", spec: s => s with { Image = Image });
        await Step(host);
        Assert.Equal((ProvisioningState.Provisioning, ErrorType.Provisioning), (host.State, host.Status.ErrorType));
    }

    [Fact]
    public async Task Clearing_or_changing_the_image_deprovisions()
    {
        var cleared = Host(ProvisioningState.Provisioned, status: Provisioned);
        var changed = Host(ProvisioningState.Provisioned, spec: s => s with { Image = Image with { Url = "http://images/other.raw" } },
            status: Provisioned, id: "h2");
        await Step(cleared);
        await Step(changed);
        Assert.Equal(ProvisioningState.Deprovisioning, cleared.State);
        Assert.Equal(ProvisioningState.Deprovisioning, changed.State);

        await Step(cleared);
        Assert.Equal(ProvisioningState.Available, cleared.State);
        Assert.Null(cleared.Status.Provisioning.Image);
    }

    [Fact]
    public async Task Deleting_a_provisioned_host_cleans_powers_off_and_removes_it()
    {
        var host = Host(ProvisioningState.Provisioned, status: Provisioned, deletion: true);
        _fake.Machine("h1").PoweredOn = true;
        await Step(host);
        Assert.Equal(ProvisioningState.Deleting, host.State);
        await Step(host);
        Assert.Equal(ProvisioningState.PoweringOffBeforeDelete, host.State);
        await Step(host);
        Assert.False(_fake.Machine("h1").PoweredOn);
        var last = await Step(host);
        Assert.True(last.Remove);
        Assert.Equal("Deleted", host.NewEvents[^1].Reason);
    }

    [Fact]
    public async Task A_detached_host_is_left_alone_and_deleted_without_bmc_calls()
    {
        var host = Host(ProvisioningState.PoweringOffBeforeDelete, "fail=power", detached: true, deletion: true);
        var outcome = await Step(host);
        Assert.True(outcome.Remove);
        Assert.Equal(0, _fake.Machine("h1").PowerChanges);

        var resting = Host(ProvisioningState.Available, spec: s => s with { Online = true }, detached: true, id: "h2");
        await Step(resting);
        Assert.Equal(OperationalStatus.Detached, resting.Status.OperationalStatus);
        Assert.False(_fake.Machine("h2").PoweredOn);
    }

    [Fact]
    public async Task An_error_clears_when_a_step_succeeds_again()
    {
        var host = Host(ProvisioningState.Registering, status: s => s with { ErrorType = ErrorType.Registration, ErrorCount = 3, ErrorMessage = "x" });
        await Step(host);
        Assert.Null(host.Status.ErrorType);
        Assert.Equal(0, host.Status.ErrorCount);
        Assert.Contains(host.NewEvents, e => e.Reason == "ErrorCleared");
    }

    private static HostStatus Provisioned(HostStatus s) =>
        s with { Provisioning = s.Provisioning with { State = ProvisioningState.Provisioned, Image = Image } };

    private Host Host(ProvisioningState state, string query = "", Func<HostSpec, HostSpec>? spec = null,
        Func<HostStatus, HostStatus>? status = null, bool detached = false, bool deletion = false, string id = "h1")
    {
        var baseSpec = new HostSpec
        {
            Name = id,
            BootMacAddress = "52:54:00:00:00:01",
            Bmc = new BmcDetails { Address = $"fake://{id}" + (query.Length > 0 ? "?" + query : "") },
        };
        var baseStatus = HostStatus.Initial(_clock.GetUtcNow());
        baseStatus = baseStatus with { Provisioning = baseStatus.Provisioning with { State = state } };
        return Metal3.Core.Hosts.Host.Restore(Guid.NewGuid(), id, _clock.GetUtcNow(), 1, spec?.Invoke(baseSpec) ?? baseSpec, null,
            status?.Invoke(baseStatus) ?? baseStatus, operation: null, deletionRequestedAt: deletion ? _clock.GetUtcNow() : null,
            rebootRequestedAt: null, inspectRequestedAt: null, detached);
    }

    /// <summary>One reconcile at the clock's time, applied to the host as the reconcile job applies it.</summary>
    private async Task<ReconcileOutcome> Step(Host host)
    {
        BmcAddress.TryParse(host.Spec.Bmc.Address, out var address, out _);
        var target = new BmcTarget(address!, new BmcCredentials(null, null), false);
        var outcome = await StateMachine.StepAsync(host.Snapshot(_clock.GetUtcNow()), _fake.Connect(target), _fake.For(target),
            CancellationToken.None);
        host.ApplyReconcile(outcome);
        return outcome;
    }
}
