using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Metal3.Server.Auth;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Tokens;

/// <summary>Two daemon processes on one PostgreSQL: a revocation through either holds on both, and across restarts.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class TokenRevocationAcrossDaemonsTests : IAsyncLifetime
{
    private string _dir = null!;
    private string _connectionString = null!;
    private DaemonProcess _a = null!;
    private DaemonProcess _b = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Postgres, "revoke2");
        (_dir, _connectionString) = (dir, cs!);
        _a = await DaemonProcess.StartAsync(Path.Combine(dir, "a"), cs);
        _b = await DaemonProcess.StartAsync(Path.Combine(dir, "b"), cs);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_token_revoked_through_one_daemon_is_refused_by_the_other_within_a_second()
    {
        using var viaA = _a.Client();
        var created = await viaA.PostAsync("/api/v1/tokens", Json("""{"name": "on-both", "role": "reader"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var onB = WithToken(_b, (string)(await JsonOf(created))["token"]!);
        // B has the token in its cache now: the revocation must get past that.
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/hosts")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await viaA.DeleteAsync("/api/v1/tokens/on-both")).StatusCode);
        var clock = Stopwatch.StartNew();

        await Eventually.Until(async () => (await onB.GetAsync("/api/v1/hosts")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1), () => Task.FromResult($"daemon B to refuse the revoked token ({clock.ElapsedMilliseconds} ms)"),
            TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_revoked_admin_token_file_stays_revoked_after_a_restart()
    {
        string fileToken = File.ReadAllText(Path.Combine(_a.DataDir, AdminTokenBootstrap.FileName)).Trim();
        string name = AdminTokenBootstrap.NameOf("admin", fileToken);
        using (var viaB = _b.Client())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await viaB.DeleteAsync($"/api/v1/tokens/{name}")).StatusCode);
        }

        await _a.DisposeAsync();
        _a = await DaemonProcess.StartAsync(Path.Combine(_dir, "a"), _connectionString);

        using var withFile = _a.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await withFile.GetAsync("/api/v1/hosts")).StatusCode);
        Assert.Contains($"The admin API token '{name}'", _a.Log(), StringComparison.Ordinal);
        using var stillB = _b.Client();
        var listed = await stillB.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(name, listed, StringComparison.Ordinal);
    }

    private static HttpClient WithToken(DaemonProcess daemon, string token)
    {
        var client = daemon.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
