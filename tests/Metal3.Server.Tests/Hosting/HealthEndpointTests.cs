using System.Net;
using Metal3.Data;
using Metal3.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Hosting;

/// <summary>Liveness and readiness as a load balancer or systemd sees them: anonymous, GET, and a body that says why.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private Metal3App _app = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "health");
        _app = new Metal3App(StoreKind.Sqlite, dir, null);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Live_and_ready_answer_anonymously_with_their_status()
    {
        var anonymous = _app.WithToken(null);

        var live = await anonymous.GetAsync("/healthz");
        var ready = await anonymous.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", (string?)(await JsonOf(live))["status"]);
        Assert.Equal("application/json; charset=utf-8", live.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (string?)(await JsonOf(ready))["status"]);
        // Only GET is anonymous: anything else falls to the admin-only fallback policy first.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/healthz", null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _app.Admin().PostAsync("/healthz", null)).StatusCode);
    }

    [Fact]
    public async Task An_unreachable_database_is_not_ready_and_its_error_is_not_shown_to_anonymous_callers()
    {
        string file;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            file = scope.ServiceProvider.GetRequiredService<Metal3DbContext>().Database.GetDbConnection().DataSource;
        }
        // The file becomes a directory: SQLite cannot open it, and says so with its path.
        File.Move(file, file + ".away");
        Directory.CreateDirectory(file);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            var ready = await _app.WithToken(null).GetAsync("/readyz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            string body = await ready.Content.ReadAsStringAsync();
            Assert.Equal("database unreachable", (string?)(await JsonOf(ready))["status"]);
            Assert.DoesNotContain(Path.GetFileName(file), body, StringComparison.Ordinal);
            Assert.DoesNotContain("error", body, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(file);
            File.Move(file + ".away", file);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_database_missing_a_migration_is_not_ready_and_the_migration_is_named()
    {
        string latest;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Metal3DbContext>();
            latest = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {latest}");
        }

        var ready = await _app.WithToken(null).GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await JsonOf(ready);
        Assert.Equal("migrations pending", (string?)body["status"]);
        Assert.Equal([latest], body["pending"]!.AsArray().Select(p => (string?)p));
    }
}
