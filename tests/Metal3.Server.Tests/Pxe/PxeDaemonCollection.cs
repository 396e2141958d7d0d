using Metal3.Pxe.Tests.Support;
using Metal3.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Metal3.Server.Tests.Pxe;

[CollectionDefinition(Name)]
public sealed class PxeDaemonCollection : ICollectionFixture<PxeDaemonLab>
{
    public const string Name = "pxe-daemon";
}
