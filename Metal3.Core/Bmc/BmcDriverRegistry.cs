namespace Metal3.Core.Bmc;

/// <summary>
/// Picks the driver by the address scheme, and puts every call to it on one <see cref="BmcCallPath"/> through
/// <paramref name="filters"/> (outermost first), so the drivers, the state machine and power sync know nothing of them.
/// </summary>
public sealed class BmcDriverRegistry(IEnumerable<IBmcDriver> drivers, IEnumerable<IBmcCallFilter> filters)
{
    private readonly Dictionary<BmcDriverKind, IBmcDriver> _byKind =
        drivers.SelectMany(d => d.Descriptor.Kinds.Select(k => (k, d))).ToDictionary(x => x.k, x => x.d);

    private readonly IReadOnlyList<IBmcCallFilter> _filters = filters.ToList();

    public BmcConnection Connect(BmcTarget target) =>
        _byKind.TryGetValue(target.Address.Kind, out var driver)
            ? new BmcCallPath(driver.Connect(target), target.Address, _filters).Connection
            : Unsupported.Connection($"no driver for {target.Address.Scheme}:// is installed in this daemon");
}
