using System.Reflection;
using Xunit.Sdk;

namespace Metal3.Data.Tests.Support;

/// <summary>
/// Runs a theory once on SQLite and once on PostgreSQL: the daemon runs on either, and they differ where the stores
/// care (id allocation and commit order, locking, constraint errors, JSON columns, string comparison).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothStoresAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
    [
        [DatabaseProvider.Sqlite],
        [DatabaseProvider.Postgres],
    ];
}
