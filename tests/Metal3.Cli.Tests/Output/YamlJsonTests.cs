using System.Text.Json.Nodes;
using Metal3.Cli.Output;

namespace Metal3.Cli.Tests.Output;

public class YamlJsonTests
{
    [Theory]
    [InlineData("a: true", """{"a":true}""")]
    [InlineData("a: 'true'", """{"a":"true"}""")]         // quoted: always a string
    [InlineData("a: 42", """{"a":42}""")]
    [InlineData("a: \"42\"", """{"a":"42"}""")]
    [InlineData("a: 1.5", """{"a":1.5}""")]
    [InlineData("a: ~", """{"a":null}""")]
    [InlineData("a:", """{"a":null}""")]                  // an empty value is null in YAML 1.2 core
    [InlineData("a: 52:54:00:12:34:56", """{"a":"52:54:00:12:34:56"}""")]
    [InlineData("a: yes", """{"a":"yes"}""")]             // YAML 1.1's yes/no booleans are plain strings in 1.2
    [InlineData("a: [1, x]", """{"a":[1,"x"]}""")]
    public void Plain_scalars_are_typed_by_the_core_schema(string yaml, string json)
    {
        var doc = Assert.Single(YamlJson.ReadDocuments(yaml));

        Assert.Equal(json, doc!.ToJsonString());
    }

    [Fact]
    public void Every_document_of_a_stream_is_read()
    {
        var docs = YamlJson.ReadDocuments("name: a\n---\nname: b\n---\n");

        Assert.Equal(["a", "b"], docs.Where(d => d is not null).Select(d => d!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Strings_that_would_read_back_as_other_types_are_quoted_and_round_trip()
    {
        var node = JsonNode.Parse("""
            {"rv": "7", "flag": "true", "none": "null", "empty": "", "n": 3, "b": false, "x": null,
             "text": "line one\nline two\n", "list": ["a", 1], "nested": {"k": "v: w"}}
            """)!;

        string yaml = YamlJson.Write(node);
        var back = Assert.Single(YamlJson.ReadDocuments(yaml));

        Assert.Contains("rv: \"7\"", yaml);
        Assert.Contains("flag: \"true\"", yaml);
        Assert.True(JsonNode.DeepEquals(node, back), yaml);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlJson.ReadDocuments("a: 1\na: 2\n"));
    }
}
