using System.CommandLine;

namespace Metal3.Cli.Commands;

/// <summary><c>metal3ctl hosts …</c>: the host resource.</summary>
public static class HostsCommand
{
    public static Command Create() => new("hosts", "Enroll, list, provision and watch bare-metal hosts")
    {
        HostReadCommands.List(),
        HostReadCommands.Get(),
        HostReadCommands.Describe(),
        EnrollCommand.Create(),
        ProvisionCommands.Provision(),
        ProvisionCommands.Deprovision(),
        HostActionCommands.Delete(),
        PowerCommand.Create(),
        HostActionCommands.Inspect(),
        HostReadCommands.Events(),
        WatchCommand.Create(),
    };
}
