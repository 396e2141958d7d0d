using System.Diagnostics.CodeAnalysis;
using Metal3.Core.Json;

namespace Metal3.Cli.Api;

/// <summary>
/// Enumerations as a newer daemon may send them. A wire name this metal3ctl knows is its member; one it does not know
/// (a provisioning state added after this build) becomes a value past the enum's members, remembered with its name.
/// Logic then sees "none of the states I know" (a wait keeps waiting, a comparison is false) while the tables show the
/// daemon's own word, as they did when they printed the JSON.
/// </summary>
public static class OpenEnums
{
    public static T Parse<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>(string name)
        where T : struct, Enum =>
        WireNames<T>.TryParse(name, out T known) ? known : Unknown<T>.ValueOf(name);

    /// <summary>The wire name: the enum's own, or the one the daemon sent for a value this build does not know.</summary>
    public static string NameOf<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>(T value)
        where T : struct, Enum =>
        Unknown<T>.NameOf(value) ?? WireNames<T>.NameOf(value);

    /// <summary>The names of one enum this build does not know, each with the value it was given (per process).</summary>
    private static class Unknown<T> where T : struct, Enum
    {
        private static readonly Lock Gate = new();
        private static readonly Dictionary<string, T> ByName = new(StringComparer.Ordinal);
        private static readonly Dictionary<T, string> ByValue = [];

        /// <summary>One past the highest member: never equal to a member, whatever the daemon sends.</summary>
        private static readonly long First = Enum.GetValues<T>().Select(v => Convert.ToInt64(v, null)).DefaultIfEmpty(-1).Max() + 1;

        public static T ValueOf(string name)
        {
            lock (Gate)
            {
                if (!ByName.TryGetValue(name, out T value))
                {
                    value = (T)Enum.ToObject(typeof(T), First + ByName.Count);
                    ByName[name] = value;
                    ByValue[value] = name;
                }
                return value;
            }
        }

        public static string? NameOf(T value)
        {
            lock (Gate)
            {
                return ByValue.GetValueOrDefault(value);
            }
        }
    }
}
