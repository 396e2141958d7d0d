using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metal3.Server.Api;

/// <summary>
/// The fields of a JSON body that the request type does not have (a typo such as <c>bootMacAdress</c>), found by walking
/// the body beside the type, so they are reported together with every other bad field instead of one at a time.
/// </summary>
public static class UnknownFields
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Type>> Members = new();

    public static List<string> Find(JsonNode node, Type type)
    {
        var found = new List<string>();
        Walk(node, type, "", found);
        return found;
    }

    private static void Walk(JsonNode? node, Type type, string prefix, List<string> found)
    {
        if (node is not JsonObject obj || !IsContract(type))
        {
            return;
        }
        var members = Members.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType,
                StringComparer.OrdinalIgnoreCase));
        foreach (var (key, value) in obj)
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (members.TryGetValue(key, out var memberType))
            {
                Walk(value, memberType, path, found);
            }
            else
            {
                found.Add(path);
            }
        }
    }

    /// <summary>Only our request records are walked; dictionaries (labels) and free JSON (status) take any keys.</summary>
    private static bool IsContract(Type type) => type.Namespace == typeof(Contracts.Api.HostRequest).Namespace && type.IsClass;
}
