namespace Metal3.Core.Hosts;

/// <summary>What an operator may ask of a host besides changing its spec (POST …/actions/{action}).</summary>
public enum HostAction
{
    /// <summary>Reset the host (or power it on when it is off) once, in a resting state.</summary>
    Reboot,
    /// <summary>Inspect an available host again.</summary>
    Inspect,
    /// <summary>Stop managing the host: no BMC calls until it is attached again.</summary>
    Detach,
    /// <summary>Manage a detached host again.</summary>
    Attach,
}
