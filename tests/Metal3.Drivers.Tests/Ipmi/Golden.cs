namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>Test data in Ipmi/Golden (copied next to the test assembly): captured datagrams and computed vectors.</summary>
internal static class Golden
{
    private static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Ipmi", "Golden", file);

    /// <summary>One captured UDP payload, as hex.</summary>
    public static byte[] Hex(string name) => Convert.FromHexString(File.ReadAllText(Path(name + ".hex")).Trim());

    private static readonly Lazy<Dictionary<string, byte[]>> Vectors = new(() =>
        File.ReadAllLines(Path("suite-vectors.txt"))
            .Where(l => l.Contains(" = ", StringComparison.Ordinal))
            .Select(l => l.Split(" = "))
            .ToDictionary(p => p[0], p => Convert.FromHexString(p[1])));

    /// <summary>A vector computed by make-vectors.py (Python hmac/hashlib), e.g. "suite17.sik".</summary>
    public static byte[] Vector(string name) => Vectors.Value[name];
}
