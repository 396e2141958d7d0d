using System.ComponentModel;
using System.Reflection;

namespace Metal3.Server.Hosting;

/// <summary>
/// Every key under <c>Metal3:</c> the daemon reads: the properties of the options classes bound to a section, and the
/// keys read by hand (declared where they are read). A key outside this list is a mistake, most often a typo, and the
/// daemon refuses it rather than silently running on a default; a value the binder could not convert is named too.
/// </summary>
public sealed class ConfigurationKeys
{
    /// <summary>A key with a type is checked here; a key without one (read by hand) is checked where it is read.</summary>
    private readonly Dictionary<string, Type?> _keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sections whose children are named by the operator (a MAC, a list index).</summary>
    private readonly List<string> _openSections = [];

    /// <summary>Every property of <typeparamref name="T"/> that the binder sets, under <paramref name="section"/>.</summary>
    public ConfigurationKeys Bound<T>(string section)
    {
        AddProperties(section, typeof(T));
        return this;
    }

    public ConfigurationKeys ReadByHand(params IEnumerable<string> fullKeys)
    {
        foreach (string key in fullKeys)
        {
            _keys[key] = null;
        }
        return this;
    }

    /// <summary>A key read by hand whose value the configuration binder converts (<c>GetValue&lt;T&gt;</c>).</summary>
    public ConfigurationKeys ReadByHand<T>(string fullKey)
    {
        _keys[fullKey] = typeof(T);
        return this;
    }

    /// <summary>A key read by hand whose children are any names (<c>Metal3:Pxe:Dhcp:Reservations:&lt;MAC&gt;</c>).</summary>
    public ConfigurationKeys OpenSection(string fullKey)
    {
        _keys[fullKey] = null;
        _openSections.Add(fullKey + ConfigurationPath.KeyDelimiter);
        return this;
    }

    /// <summary>One line per unknown key or unconvertible value under <paramref name="root"/>, with the key.</summary>
    public IEnumerable<(string Key, string Problem)> Problems(IConfiguration config, string root)
    {
        foreach (var (key, value) in config.GetSection(root).AsEnumerable().OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (_keys.TryGetValue(key, out var type))
            {
                if (type is not null && !string.IsNullOrEmpty(value) && !Converts(type, value))
                {
                    yield return (key, $"{key} must be {Describe(type)}, not '{value}'");
                }
            }
            else if (!string.IsNullOrEmpty(value) && !_openSections.Any(s => key.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                yield return (key, Closest(key) is { } known
                    ? $"{key} is not a setting (did you mean {known}?)"
                    : $"{key} is not a setting");
            }
            // A section (no value, or an empty JSON object) says nothing by itself.
        }
    }

    private void AddProperties(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            string key = ConfigurationPath.Combine(prefix, property.Name);
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(target))
            {
                _keys[key] = target;
            }
            else
            {
                AddProperties(key, target);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal);

    /// <summary>As the configuration binder converts: the type's converter, with the invariant culture.</summary>
    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(TimeSpan) ? "a duration written hh:mm:ss (e.g. 00:00:30)"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : "a " + type.Name;

    /// <summary>The known key a typo most likely meant: few edits away, relative to its length.</summary>
    private string? Closest(string key)
    {
        var best = _keys.Keys.Select(k => (Key: k, Distance: EditDistance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .MinBy(c => c.Distance);
        return best.Key is not null && best.Distance <= Math.Max(2, key.Length / 5) ? best.Key : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
