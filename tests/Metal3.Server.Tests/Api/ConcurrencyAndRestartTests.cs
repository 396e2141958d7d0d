using System.Net;
using Metal3.Server.Security;
using Metal3.Server.Tests.Support;
using Metal3.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

public abstract class ConcurrencyAndRestartTests(StoreKind store)
{
    [Fact]
    public async Task Twenty_parallel_puts_with_the_same_if_match_exactly_one_wins()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "race");
        await using var app = new Metal3App(store, dir, cs);
        var admin = app.Admin();
        await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("race-1")));

        var puts = Enumerable.Range(0, 20).Select(i => admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/race-1",
            EnrollBody("race-1", labels: $$"""{"writer": "w{{i}}"}"""), "\"1\"")));
        var statuses = (await Task.WhenAll(puts)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        var host = await JsonOf(await admin.GetAsync("/api/v1/hosts/race-1"));
        Assert.Equal("2", (string?)host["resourceVersion"]);
        Assert.Single(host["labels"]!.AsObject());
    }

    [Fact]
    public async Task A_restarted_daemon_finds_its_hosts_token_and_passwords()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "restart");
        string token;
        await using (var first = new Metal3App(store, dir, cs))
        {
            token = first.AdminToken;
            var created = await first.Admin().PostAsync("/api/v1/hosts", Json(EnrollBody("keep-1", "52:54:00:00:09:01")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var second = new Metal3App(store, dir, cs);
        Assert.Equal(token, second.AdminToken);
        var response = await second.WithToken(token).GetAsync("/api/v1/hosts/keep-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("52:54:00:00:09:01", (string?)(await JsonOf(response))["bootMacAddress"]);

        // The password written by the first process decrypts in the second (keys persisted, not per process).
        using var scope = second.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Metal3DbContext>();
        var row = await db.Hosts.AsNoTracking().SingleAsync(h => h.Name == "keep-1");
        Assert.NotEqual(Secret, row.BmcPasswordProtected);
        Assert.Equal(Secret, scope.ServiceProvider.GetRequiredService<BmcPasswordProtector>().Unprotect(row.BmcPasswordProtected!));
    }
}

public sealed class ConcurrencyAndRestartSqliteTests() : ConcurrencyAndRestartTests(StoreKind.Sqlite);

public sealed class ConcurrencyAndRestartPostgresTests() : ConcurrencyAndRestartTests(StoreKind.Postgres);
