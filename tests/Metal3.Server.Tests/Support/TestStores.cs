using System.Net.Http.Headers;
using Metal3.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Metal3.Server.Tests.Support;

/// <summary>A fresh data directory and database for one test class, on either store.</summary>
public static class TestStores
{
    public static async Task<(string DataDir, string? ConnectionString)> NewAsync(StoreKind kind, string name)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"metal3-test-{name}-{Guid.NewGuid():N}");
        if (kind == StoreKind.Sqlite)
        {
            return (dataDir, null);
        }
        var pg = await PostgresServer.GetAsync();
        return (dataDir, await pg.CreateDatabaseAsync(name));
    }
}
