namespace Metal3.Core.Bmc;

/// <summary>How a BMC call ended. Each failure kind leads the state machine somewhere different.</summary>
public enum BmcOutcome
{
    Ok,
    /// <summary>The BMC refused the username/password (IPMI RAKP failure, Redfish 401 after re-login).</summary>
    WrongCredentials,
    /// <summary>No answer before the deadline, connection refused, DNS failure.</summary>
    Unreachable,
    /// <summary>The BMC or the driver cannot do this (no virtual media, no such boot device).</summary>
    Unsupported,
    /// <summary>The BMC answered with an error (IPMI completion code, Redfish 4xx/5xx).</summary>
    BmcError,
}
