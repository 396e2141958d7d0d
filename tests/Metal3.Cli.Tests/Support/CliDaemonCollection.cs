using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;

namespace Metal3.Cli.Tests.Support;

[CollectionDefinition(Name)]
public sealed class CliDaemonCollection : ICollectionFixture<CliDaemon>
{
    public const string Name = "metal3ctl against one daemon";
}
