using System.CommandLine;

namespace Metal3.Cli.Commands;

/// <summary><c>metal3ctl claims …</c>: ask for a host like this, and give it back.</summary>
public static class ClaimsCommand
{
    public static Command Create() => new("claims", "Claim a free host that matches (and provision it), list claims, release them")
    {
        ClaimCommands.Create(),
        ClaimCommands.List(),
        ClaimCommands.Get(),
        ClaimCommands.Delete(),
    };
}
