namespace Metal3.Core.Bmc;

/// <summary>
/// What a driver is, as data known without starting it: the address kinds it serves, the capabilities it has, whether
/// it needs credentials, and what it accepts of them (ironic's <c>validate</c>, before anything runs). The API asks
/// it instead of knowing each protocol's limits.
/// </summary>
/// <param name="lacking">Why the capabilities the driver does not have are missing, in words an operator can act on.</param>
public class BmcDriverDescriptor(
    IReadOnlyCollection<BmcDriverKind> kinds, BmcCapabilities capabilities, bool needsCredentials = true, string lacking = "")
{
    public IReadOnlyCollection<BmcDriverKind> Kinds { get; } = kinds;
    public BmcCapabilities Capabilities { get; } = capabilities;
    public bool NeedsCredentials { get; } = needsCredentials;

    /// <summary>What is wrong with settings the address parser accepted; nothing, unless the protocol has limits.</summary>
    public virtual IEnumerable<BmcFieldError> Validate(BmcAddress address, string? username, string? password) => [];

    /// <summary>
    /// A connection of the driver's capability objects. A capability the driver does not declare answers
    /// <see cref="BmcOutcome.Unsupported"/>, and one it declares must be given, so the data and the objects agree.
    /// </summary>
    public BmcConnection Connection(
        IPowerControl? power = null, IBootDeviceControl? boot = null, IInventoryReader? inventory = null, IVirtualMediaControl? media = null)
    {
        var missing = new Unsupported(lacking);
        return new BmcConnection(
            Slot<IPowerControl>(BmcCapabilities.Power, power, missing),
            Slot<IBootDeviceControl>(BmcCapabilities.BootDevice, boot, missing),
            Slot<IInventoryReader>(BmcCapabilities.Inventory, inventory, missing),
            Slot<IVirtualMediaControl>(BmcCapabilities.VirtualMedia, media, missing));
    }

    private T Slot<T>(BmcCapabilities capability, T? given, T missing) where T : class =>
        (Capabilities.HasFlag(capability), given) switch
        {
            (true, { } declared) => declared,
            (false, null) => missing,
            (true, null) => throw new InvalidOperationException($"the driver declares {capability} but gives no object for it"),
            (false, _) => throw new InvalidOperationException($"the driver gives a {capability} object but does not declare it"),
        };
}
