using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Data.Tests.Support;

/// <summary>Hosts to enroll, and the few steps the tests take with them through the stores.</summary>
public static class TestHosts
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Host New(string name, Dictionary<string, string>? labels = null, string? bootMac = null) =>
        Host.Enroll(Guid.NewGuid(), Spec(name, labels, bootMac), protectedBmcPassword: "protected-secret", T0);

    public static HostSpec Spec(string name, Dictionary<string, string>? labels = null, string? bootMac = null) => new()
    {
        Name = name,
        Labels = labels ?? [],
        BootMacAddress = bootMac,
        Bmc = new BmcDetails { Address = "ipmi://192.0.2.10:623", Username = "admin" },
    };

    /// <summary>Enrolls the host (next look at <see cref="T0"/>) and fails unless it was saved.</summary>
    public static async Task<Host> EnrollAsync(this HostStore store, Host host)
    {
        var (outcome, saved) = await store.AddAsync(host, T0, actor: null, CancellationToken.None);
        Assert.Equal(WriteOutcome.Saved, outcome);
        return saved;
    }

    /// <summary>An API write: replaces the labels and saves, retrying on a stale read as the API does.</summary>
    public static async Task<HostUpdate<string>> SetLabelsAsync(this HostStore store, string name, Dictionary<string, string> labels) =>
        await store.UpdateAsync<string>(name, host =>
        {
            host.ReplaceSpec(host.Spec with { Labels = labels }, newProtectedBmcPassword: null);
            return Task.FromResult(HostDecision<string>.Save(T0));
        }, actor: null, CancellationToken.None);

    /// <summary>What the reconciler does before a step: take the host's lease as <c>daemon-a</c>, then load the host.</summary>
    public static async Task<Host> TakeForReconcileAsync(this TestDatabase db, HostStore store, Guid id)
    {
        if (!await db.NewLeases().TryAcquireAsync(id, "daemon-a", TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            throw new InvalidOperationException($"the lease of host {id} is held by another owner");
        }
        return await store.FindForReconcileAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no host {id}");
    }

    /// <summary>A reconcile step that moved the host to <paramref name="state"/>, saved as the reconciler saves.</summary>
    public static async Task<WriteOutcome> ReconcileToAsync(this TestDatabase db, Guid id, ProvisioningState state)
    {
        var store = db.NewStore();
        var host = await db.TakeForReconcileAsync(store, id);
        host.ApplyReconcile(StepTo(host, state));
        var (outcome, _) = await store.SaveReconciledAsync(host, db.Time.GetUtcNow(), "daemon-a", CancellationToken.None);
        return outcome;
    }

    /// <summary>What a state machine step that moved the host to <paramref name="state"/> would have decided.</summary>
    public static ReconcileOutcome StepTo(Host host, ProvisioningState state) => new(
        host.Status with { Provisioning = host.Status.Provisioning with { State = state } },
        host.Operation,
        host.RebootRequestedAt,
        host.InspectRequestedAt,
        [new HostEvent("StateChanged", $"{host.State} -> {state}", From: host.State, To: state)],
        NextLookAt: null,
        Remove: false);
}
