using System.Net;
using Metal3.Server.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Metal3.Server.Tests.Api.OpenApi;

/// <summary>
/// The served document, read as a client generator reads it (Microsoft.OpenApi's reader and its validation rules), and
/// held to what automation needs: every operation says which token it takes and how it fails.
/// </summary>
public sealed class OpenApiLintTests : IAsyncLifetime
{
    // Anonymous on purpose: the deploy agent has no token before it looks its host up (SecurityTests names the routes).
    private static readonly string[] AnonymousOperations = ["AgentLookup", "AgentDiscoveryReport"];

    // Writes that take no body: the action is in the path.
    private static readonly string[] BodylessWrites = ["HostAction"];

    private Metal3App _app = null!;
    private OpenApiDocument _document = null!;
    private OpenApiDiagnostic _diagnostic = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "openapi-lint");
        _app = new Metal3App(StoreKind.Sqlite, dir, null);
        string json = await _app.WithToken(null).GetStringAsync("/openapi/v1.json");
        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");
        _document = document ?? throw new InvalidOperationException("the document did not parse: " + Describe(diagnostic?.Errors));
        _diagnostic = diagnostic!;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void The_reader_finds_no_error()
    {
        Assert.True(_diagnostic.Errors.Count == 0, Describe(_diagnostic.Errors));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, _diagnostic.SpecificationVersion);
    }

    [Fact]
    public void Every_operation_but_the_agent_lookup_names_a_defined_bearer_scheme()
    {
        var schemes = _document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>();
        Assert.All(schemes.Values, s => Assert.Equal(("http", "bearer"), (s.Type.ToString()!.ToLowerInvariant(), s.Scheme)));
        var unsecured = new List<string>();
        foreach (var (id, operation) in Operations())
        {
            var named = (operation.Security ?? []).SelectMany(r => r.Keys).Select(k => k.Reference.Id).ToList();
            if (named.Count == 0)
            {
                unsecured.Add(id);
            }
            Assert.All(named, name => Assert.True(schemes.ContainsKey(name!), $"{id} names the undefined scheme {name}"));
        }
        Assert.Equal(AnonymousOperations, unsecured);
    }

    [Fact]
    public void Every_operation_says_how_it_fails_with_problem_details()
    {
        foreach (var (id, operation) in Operations())
        {
            var responses = operation.Responses ?? [];
            Assert.True(responses.Keys.Any(k => k.StartsWith('4')), $"{id} documents no 4xx response");
            Assert.Contains("500", responses.Keys);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.False(string.IsNullOrWhiteSpace(response.Description), $"{id} {status} has no description");
                Assert.Equal(["application/problem+json"], response.Content?.Keys.ToArray() ?? []);
                Assert.NotNull(response.Content!["application/problem+json"].Schema);
            }
        }
    }

    [Fact]
    public void Every_success_with_a_body_has_its_schema()
    {
        foreach (var (id, operation) in Operations())
        {
            var successes = (operation.Responses ?? []).Where(r => r.Key[0] == '2').ToList();
            Assert.NotEmpty(successes);
            foreach (var (status, response) in successes.Where(r => r.Key != "204"))
            {
                Assert.True(response.Content is { Count: > 0 }, $"{id} {status} has no content");
                Assert.All(response.Content!, c => Assert.True(c.Value.Schema is not null, $"{id} {status} {c.Key} has no schema"));
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/hosts", "post", "application/json")]
    [InlineData("/api/v1/hosts/{name}", "put", "application/json")]
    [InlineData("/api/v1/hosts/{name}", "patch", "application/merge-patch+json")]
    public void Host_writes_take_the_host_request(string path, string method, string mediaType)
    {
        var operation = _document.Paths[path].Operations![HttpMethod.Parse(method)];
        var body = operation.RequestBody;
        Assert.NotNull(body);
        Assert.True(body.Required);
        var schema = Assert.IsType<OpenApiSchemaReference>(body.Content![mediaType].Schema);
        Assert.Equal("HostRequest", schema.Reference.Id);
        Assert.Contains("bootMacAddress", schema.Properties!.Keys);
    }

    [Fact]
    public void Every_write_but_an_action_describes_its_body()
    {
        var writes = new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch };
        var bodyless = _document.Paths.SelectMany(p => p.Value.Operations ?? [])
            .Where(o => writes.Contains(o.Key) && o.Value.RequestBody?.Content is not { Count: > 0 })
            .Select(o => o.Value.OperationId);
        Assert.Equal(BodylessWrites, bodyless);
    }

    [Theory]
    [InlineData("/api/v1/hosts", "post", "application/json", HttpStatusCode.Created)]
    [InlineData("/api/v1/hosts/{name}", "put", "application/json", HttpStatusCode.Created)]
    public async Task The_example_of_a_host_write_is_a_request_that_works(string path, string method, string mediaType,
        HttpStatusCode expected)
    {
        var example = _document.Paths[path].Operations![HttpMethod.Parse(method)].RequestBody!.Content![mediaType].Example;
        Assert.NotNull(example);
        string name = (string)example["name"]!;

        var response = await _app.Admin().SendAsync(Http.Request(HttpMethod.Parse(method), path.Replace("{name}", name),
            example.ToJsonString()));

        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_watch_stream_is_described_with_its_event_model()
    {
        var list = _document.Paths["/api/v1/hosts"].Operations![HttpMethod.Get];
        var stream = list.Responses!["200"].Content!["text/event-stream"];
        Assert.Contains("watch=true", stream.Schema!.Description, StringComparison.Ordinal);
        Assert.Contains("HostWatchEventResponse", _document.Components!.Schemas!.Keys);
        Assert.Contains("410", list.Responses.Keys);
    }

    private IEnumerable<(string Id, OpenApiOperation Operation)> Operations() =>
        _document.Paths.SelectMany(p => p.Value.Operations ?? [])
            .Select(o => (o.Value.OperationId ?? $"{o.Key} without operationId", o.Value));

    private static string Describe(IEnumerable<OpenApiError>? errors) =>
        string.Join("\n", (errors ?? []).Select(e => $"{e.Pointer}: {e.Message}"));
}
