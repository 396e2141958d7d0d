namespace Metal3.Core.Bmc;

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
