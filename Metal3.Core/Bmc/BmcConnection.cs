namespace Metal3.Core.Bmc;

public sealed record BmcCredentials(string? Username, string? Password)
{
    public override string ToString() => $"BmcCredentials {{ Username = {Username}, Password = *** }}";
}

/// <summary>What the daemon knows about one BMC when it connects: where, who, and whether to check its certificate.</summary>
public sealed record BmcTarget(BmcAddress Address, BmcCredentials Credentials, bool DisableCertificateVerification);

/// <summary>
/// A driver's view of one BMC, as ironic's driver slots: each capability is an object, and a capability the BMC or the
/// driver lacks is an <see cref="Unsupported"/> object that fails clearly, never null.
/// </summary>
public sealed record BmcConnection(
    IPowerControl Power,
    IBootDeviceControl Boot,
    IInventoryReader Inventory,
    IVirtualMediaControl VirtualMedia)
{
    /// <summary>Set when the slots are a <see cref="BmcCallPath"/>, so more filters join that path instead of a second one.</summary>
    internal BmcCallPath? Path { get; init; }

    /// <summary>This BMC with one more filter around every call, outside the filters it already has.</summary>
    public BmcConnection Through(IBmcCallFilter filter) => (Path ?? new BmcCallPath(this, address: null, [])).Around(filter).Connection;
}

/// <summary>Makes connections for the address schemes it serves (BMO's RegisterFactory).</summary>
public interface IBmcDriver
{
    BmcDriverDescriptor Descriptor { get; }
    BmcConnection Connect(BmcTarget target);
}

/// <summary>
/// Picks the driver by the address scheme, and puts every call to it on one <see cref="BmcCallPath"/> through
/// <paramref name="filters"/> (outermost first), so the drivers, the state machine and power sync know nothing of them.
/// </summary>
public sealed class BmcDriverRegistry(IEnumerable<IBmcDriver> drivers, IEnumerable<IBmcCallFilter> filters)
{
    private readonly Dictionary<BmcDriverKind, IBmcDriver> byKind =
        drivers.SelectMany(d => d.Descriptor.Kinds.Select(k => (k, d))).ToDictionary(x => x.k, x => x.d);

    private readonly IReadOnlyList<IBmcCallFilter> filters = filters.ToList();

    public BmcConnection Connect(BmcTarget target) =>
        byKind.TryGetValue(target.Address.Kind, out var driver)
            ? new BmcCallPath(driver.Connect(target), target.Address, filters).Connection
            : Unsupported.Connection($"no driver for {target.Address.Scheme}:// is installed in this daemon");
}

/// <summary>Stand-ins for a capability that is not there (ironic's noop interfaces).</summary>
public sealed class Unsupported(string why) : IPowerControl, IBootDeviceControl, IInventoryReader, IVirtualMediaControl
{
    public static BmcConnection Connection(string why)
    {
        var u = new Unsupported(why);
        return new BmcConnection(u, u, u, u);
    }

    private BmcResult Fail => BmcResult.Fail(BmcOutcome.Unsupported, why);

    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<PowerState>>(Fail);
    public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<BootOverride>>(Fail);
    public Task<BmcResult<Hosts.HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<Hosts.HardwareDetails>>(Fail);
    public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
}
