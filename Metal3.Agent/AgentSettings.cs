namespace Metal3.Agent;

/// <summary>
/// What the agent needs to know, from the kernel command line (<c>metal3.api=URL metal3.insecure metal3.debug</c>) or, for
/// running it by hand, the same words as arguments.
/// </summary>
public sealed record AgentSettings(Uri Api, bool Insecure, bool Debug)
{
    public static AgentSettings Parse(IEnumerable<string> words)
    {
        Uri? api = null;
        bool insecure = false, debug = false;
        foreach (string word in words)
        {
            switch (word)
            {
                case var w when w.StartsWith("metal3.api=", StringComparison.Ordinal):
                    string value = w["metal3.api=".Length..];
                    if (!Uri.TryCreate(value, UriKind.Absolute, out api) || api.Scheme is not ("http" or "https"))
                    {
                        throw new ArgumentException($"metal3.api must be an http(s) URL, not '{value}'");
                    }
                    break;
                case "metal3.insecure" or "metal3.insecure=1" or "metal3.insecure=true":
                    insecure = true;
                    break;
                case "metal3.debug" or "metal3.debug=1" or "metal3.debug=true":
                    debug = true;
                    break;
            }
        }
        return new AgentSettings(api ?? throw new ArgumentException("no metal3.api=<url> on the kernel command line or in the arguments"),
            insecure, debug);
    }

    /// <summary>Arguments win; without any, /proc/cmdline.</summary>
    public static AgentSettings FromEnvironment(string[] args) =>
        Parse(args.Length > 0 ? args : File.ReadAllText("/proc/cmdline").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
