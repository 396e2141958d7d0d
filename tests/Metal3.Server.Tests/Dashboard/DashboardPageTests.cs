using System.Net;
using System.Text.RegularExpressions;
using Metal3.Server.Dashboard;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Dashboard;

/// <summary>The dashboard's files over HTTP: anonymous, free of data, and under a strict Content-Security-Policy.</summary>
public sealed partial class DashboardPageTests : IAsyncLifetime
{
    private Metal3App _app = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "dashboard-page");
        _app = new Metal3App(StoreKind.Sqlite, dir, null);
        _ = _app.AdminToken;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/ui/dashboard.js", "text/javascript")]
    [InlineData("/ui/dashboard.css", "text/css")]
    public async Task The_page_and_its_files_need_no_token_and_carry_a_strict_policy(string url, string mediaType)
    {
        var response = await _app.WithToken(null).GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        string csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(DashboardApi.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_page_has_no_inline_script_or_style_and_loads_nothing_from_elsewhere()
    {
        string html = await _app.WithToken(null).GetStringAsync("/");

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalUrl(), html);
        Assert.Contains("<script src=\"/ui/dashboard.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_holds_no_data_even_when_hosts_exist()
    {
        Assert.Equal(HttpStatusCode.Created, (await _app.Admin().PostAsync("/api/v1/hosts", Json(EnrollBody("secret-host-7")))).StatusCode);

        foreach (string url in new[] { "/", "/ui/dashboard.js", "/ui/dashboard.css" })
        {
            string body = await _app.WithToken(null).GetStringAsync(url);
            Assert.DoesNotContain("secret-host-7", body, StringComparison.Ordinal);
            Assert.DoesNotContain(_app.AdminToken, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unchanged_file_is_not_sent_again_and_an_unknown_one_is_404()
    {
        var client = _app.WithToken(null);
        var first = await client.GetAsync("/ui/dashboard.js");
        var again = new HttpRequestMessage(HttpMethod.Get, "/ui/dashboard.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ui/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ui/..%2Fappsettings.json")).StatusCode);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
