using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Hosting;

/// <summary>The daemon as a process with <c>Metal3:Logging:Format=json</c>, everything at Debug, its console read back.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class JsonLogTests
{
    private const string BogusToken = "not-a-token-5f1c9e2a7b";

    [Fact]
    public async Task Json_logs_are_one_object_per_line_and_carry_no_password_or_token()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-jsonlog-{Guid.NewGuid():N}");
        string logPath;
        string adminToken;
        string readerToken;
        await using (var daemon = await DaemonProcess.StartAsync(dir, null,
            "--Metal3:Logging:Format", "json",
            "--Logging:LogLevel:Default", "Debug",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Debug",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Debug"))
        {
            logPath = daemon.LogPath;
            using var admin = daemon.Client();
            adminToken = admin.DefaultRequestHeaders.Authorization!.Parameter!;
            var created = await admin.PostAsync("/api/v1/tokens", Json("""{"name": "logs", "role": "reader"}"""));
            readerToken = (string)(await JsonOf(created))["token"]!;

            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/hosts", Json($$$"""
                {"name": "log-1", "bmc": {"address": "fake://log-1", "username": "admin", "password": "{{{Secret}}}"}, "online": true}
                """))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/hosts", Json($$$"""
                {"name": "log-2", "bmc": {"address": "fake://log-2?fail=credentials", "username": "admin", "password": "{{{Secret}}}"}}
                """))).StatusCode);
            await admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/log-1", $$$"""{"bmc": {"password": "{{{Secret}}}"}}""",
                mediaType: "application/merge-patch+json"));

            using var reader = daemon.Client();
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readerToken);
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/metrics")).StatusCode);
            await using (var watch = await EventStream.OpenAsync(reader, "/api/v1/hosts?watch=true"))
            {
                Assert.NotNull(await watch.NextAsync(TimeSpan.FromSeconds(10)));
            }
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BogusToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/api/v1/hosts")).StatusCode);

            await Eventually.Until(async () => (string?)(await JsonOf(await admin.GetAsync("/api/v1/hosts/log-2")))["status"]!["errorType"] is not null,
                TimeSpan.FromSeconds(30), async () => await admin.GetStringAsync("/api/v1/hosts/log-2"));
        }

        var lines = (await File.ReadAllLinesAsync(logPath)).Where(l => l.Length > 0).ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines");
        foreach (string line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, entry.RootElement.ValueKind);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("\"Category\":\"Metal3.", StringComparison.Ordinal));
        foreach (string secret in new[] { Secret, adminToken, readerToken, BogusToken })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_unknown_log_format_stops_the_daemon_with_a_clear_message()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-jsonlog-{Guid.NewGuid():N}");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => DaemonProcess.StartAsync(dir, null, "--Metal3:Logging:Format", "xml"));
        Assert.Contains("Metal3:Logging:Format must be 'text' or 'json'", e.Message);
    }
}
