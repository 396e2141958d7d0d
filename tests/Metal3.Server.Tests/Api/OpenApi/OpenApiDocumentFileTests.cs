using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;

namespace Metal3.Server.Tests.Api.OpenApi;

/// <summary>
/// docs/openapi.json is the API's contract under review: a change to the served document fails here until the file is
/// regenerated, so that every API change shows up in a diff as one. With METAL3_UPDATE_OPENAPI=1 the test writes the
/// file instead of failing.
/// </summary>
public sealed class OpenApiDocumentFileTests
{
    public const string UpdateVariable = "METAL3_UPDATE_OPENAPI";
    public const string Regenerate =
        UpdateVariable + "=1 dotnet test tests/Metal3.Server.Tests --filter FullyQualifiedName~OpenApiDocumentFileTests";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Readable in a diff: descriptions keep their quotes, backticks and ellipses as written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task The_served_document_is_the_one_in_docs()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "openapi-file");
        await using var app = new Metal3App(StoreKind.Sqlite, dir, null);
        string served = Normalise(await app.WithToken(null).GetStringAsync("/openapi/v1.json"));
        string file = Repository.Path("docs", "openapi.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(file, served);
            return;
        }
        Assert.True(File.Exists(file), $"docs/openapi.json is missing; write it with: {Regenerate}");
        string kept = Normalise(await File.ReadAllTextAsync(file));
        Assert.True(kept == served,
            $"the served OpenAPI document differs from docs/openapi.json ({FirstDifference(kept, served)}). If the API " +
            $"change is meant, regenerate the file with `{Regenerate}` and review its diff.");
    }

    private static string Normalise(string json) =>
        (JsonNode.Parse(json) ?? throw new InvalidOperationException("an empty document")).ToJsonString(Indented)
            .ReplaceLineEndings("\n") + "\n";

    private static string FirstDifference(string kept, string served)
    {
        string[] a = kept.Split('\n'), b = served.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }
        return $"first at line {line + 1}: docs/openapi.json has '{At(a, line)}', the daemon serves '{At(b, line)}'";
    }

    private static string At(string[] lines, int index) => index < lines.Length ? lines[index].Trim() : "(the end)";
}
