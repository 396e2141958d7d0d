namespace Metal3.ClientGen.Tests;

/// <summary>Every test class here shares one daemon: starting it is most of what the suite costs.</summary>
[CollectionDefinition(Name)]
public sealed class DaemonCollection : ICollectionFixture<DaemonFixture>
{
    public const string Name = "daemon";
}
