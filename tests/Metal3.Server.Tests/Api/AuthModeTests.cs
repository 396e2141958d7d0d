using System.Net;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

public class AuthModeTests
{
    [Theory]
    [InlineData("http://0.0.0.0:6385")]
    [InlineData("http://*:6385")]
    [InlineData("http://127.0.0.1:6385;http://198.18.0.1:6385")]
    [InlineData("http://metal3.example:6385")]
    public async Task Auth_mode_none_is_refused_on_a_non_loopback_url(string urls)
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "authnone");
        await using var app = new Metal3App(StoreKind.Sqlite, dir, null,
            new Dictionary<string, string?> { ["Metal3:Auth:Mode"] = "none", ["urls"] = urls });

        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("Metal3:Auth:Mode=none is refused", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_mode_none_on_loopback_lets_anyone_write_and_writes_no_token()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "authnone");
        await using var app = new Metal3App(StoreKind.Sqlite, dir, null,
            new Dictionary<string, string?> { ["Metal3:Auth:Mode"] = "none", ["urls"] = "http://127.0.0.1:6385;http://[::1]:6385" });

        var response = await app.WithToken(null).PostAsync("/api/v1/hosts", Json(EnrollBody("open-1")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(dir, "admin.token")));
    }

    [Fact]
    public async Task A_configured_admin_token_is_used_and_no_file_is_written()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "authcfg");
        await using var app = new Metal3App(StoreKind.Sqlite, dir, null,
            new Dictionary<string, string?> { ["Metal3:Auth:AdminToken"] = "configured-token-123" });

        var response = await app.WithToken("configured-token-123").PostAsync("/api/v1/hosts", Json(EnrollBody("cfg-1")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(dir, "admin.token")));
    }
}
