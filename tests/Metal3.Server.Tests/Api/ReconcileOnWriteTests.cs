using System.Net;
using Hangfire;
using Metal3.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

/// <summary>Which host writes ask for a reconcile job: those the reconciler acts on, not a change of labels alone.</summary>
public sealed class ReconcileOnWriteTests : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "reconcile-on-write");
        // No workers: every job asked for stays in the queue, to be counted.
        _app = new Metal3App(StoreKind.Sqlite, dir, cs);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_label_change_enqueues_no_job_and_a_spec_change_does()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("row-1")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("row-2")))).StatusCode);
        long enrolled = await EnqueuedAtLeastAsync(2);

        var relabelled = await _admin.SendAsync(Patch("row-1", """{"labels": {"rack": "r9"}}"""));
        Assert.Equal(HttpStatusCode.OK, relabelled.StatusCode);
        Assert.Equal("r9", (string?)(await JsonOf(relabelled))["labels"]!["rack"]);
        // Another host's spec change comes after it: once its job is in, the label change's would be too.
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(Patch("row-2", """{"online": false}"""))).StatusCode);
        await EnqueuedAtLeastAsync(enrolled + 1);
        await Task.Delay(300);
        Assert.Equal(enrolled + 1, Enqueued());
    }

    private static HttpRequestMessage Patch(string name, string body) =>
        Request(HttpMethod.Patch, $"/api/v1/hosts/{name}", body, mediaType: "application/merge-patch+json");

    private long Enqueued() => _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics().Enqueued;

    private async Task<long> EnqueuedAtLeastAsync(long count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Enqueued() < count && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
        Assert.True(Enqueued() >= count, $"{Enqueued()} jobs enqueued, expected {count}");
        return Enqueued();
    }
}
