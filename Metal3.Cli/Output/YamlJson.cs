using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Metal3.Cli.Output;

/// <summary>
/// YAML ↔ JSON for host files and <c>-o yaml</c>. Plain scalars are typed by the YAML 1.2 core schema (<c>true</c>,
/// <c>42</c>, <c>null</c>); quoted scalars are always strings. On output, strings that would read back as another type
/// are quoted, so <c>get -o yaml</c> enrolls back unchanged.
/// </summary>
public static partial class YamlJson
{
    /// <summary>Every document of a YAML stream (<c>---</c> separated), as JSON.</summary>
    public static IReadOnlyList<JsonNode?> ReadDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ScalarToJson(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unexpected YAML node {node.NodeType}"),
    };

    public static string Write(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        // The emitter ends every document with "...": noise for a single document read by people.
        string text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    public static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var map = new YamlMappingNode();
                foreach (var (key, value) in obj)
                {
                    map.Add(StringScalar(key), ToYaml(value));
                }
                return map;
            case JsonArray array:
                var list = new YamlSequenceNode();
                foreach (var item in array)
                {
                    list.Add(ToYaml(item));
                }
                return list;
            case null:
                return new YamlScalarNode("null") { Style = ScalarStyle.Plain };
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return StringScalar(value.GetValue<string>());
            default:
                // Numbers and booleans: their JSON text is also their YAML text.
                return new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain };
        }
    }

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "mapping keys must be plain strings");
            }
            if (obj.ContainsKey(name))
            {
                throw new YamlException(key.Start, key.End, $"duplicate key '{name}'");
            }
            obj[name] = ToJson(value);
        }
        return obj;
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return JsonValue.Create(l);
        }
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(text);
    }

    /// <summary>A string, quoted when plain YAML would read it as something else (a number, a boolean, null, …).</summary>
    private static YamlScalarNode StringScalar(string text)
    {
        var plain = new YamlScalarNode(text) { Style = ScalarStyle.Plain };
        bool ambiguous = ScalarToJson(plain) is not JsonValue v || v.GetValueKind() != JsonValueKind.String;
        bool multiline = text.Contains('\n');
        return new YamlScalarNode(text)
        {
            Style = multiline ? ScalarStyle.Literal : ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any,
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
