using System.CommandLine;

namespace Metal3.Cli.Commands;

/// <summary><c>metal3ctl hostsets …</c>: keep N hosts like this, running this image.</summary>
public static class HostSetsCommand
{
    public static Command Create() => new("hostsets", "Keep a number of claimed hosts provisioned from one template: create, list, scale, delete")
    {
        HostSetCommands.Create(),
        HostSetCommands.List(),
        HostSetCommands.Get(),
        HostSetCommands.Scale(),
        HostSetCommands.Delete(),
    };
}
