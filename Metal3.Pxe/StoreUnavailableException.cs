namespace Metal3.Pxe;

/// <summary>
/// The lease store or the host lookup cannot be reached for now (the daemon's database is away). The DHCP server then
/// answers nothing rather than guess (see <c>Metal3.Pxe/README.md</c>, "While the lease store is away"); whoever throws
/// this has already said so in the log, once per outage.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
