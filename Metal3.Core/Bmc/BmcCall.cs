namespace Metal3.Core.Bmc;

/// <summary>
/// One call to a BMC as the filters on the call path see it.
/// </summary>
/// <param name="Address">The BMC; null on a stand-in connection that no driver made (a password that cannot be decrypted).</param>
/// <param name="Capability">The capability the call belongs to (one flag).</param>
/// <param name="Operation">A stable snake_case name for the operation, as metrics label it: <c>set_power</c>.</param>
/// <param name="Description">The call with its arguments, in words for events and logs: <c>set power reboot</c>.</param>
/// <param name="Changes">Whether the call changes the machine (power, boot device, media) rather than reading it.</param>
public sealed record BmcCall(BmcAddress? Address, BmcCapabilities Capability, string Operation, string Description, bool Changes);
