namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// Finds the shared mockups (<c>shared/redfish-mockups</c> next to the repository checkout) by walking up from the
/// test assembly. A missing directory fails the test loudly: these tests never skip.
/// </summary>
public static class Mockups
{
    private static readonly Lazy<string> root = new(Find);

    public static string Root => root.Value;

    /// <summary>The sets laid out as a DMTF short-form tree, served by <see cref="MockupTree"/>.</summary>
    public static readonly string[] TreeSets =
    [
        "dmtf-public-rackmount1",
        "cray-hpe-DL325",
        "cray-hpe-XL675d_A100",
        "cray-hpe-Gigabyte",
        "cray-hpe-Intel",
        "cray-hpe-OpenBMC-stock",
        "sushy-tools-fake-emulator/mockup",
        "sushy-tools-libvirt-test-emulator/mockup",
    ];

    /// <summary>Every set, including the flat ones (one resource per file).</summary>
    public static readonly string[] AllSets =
    [
        .. TreeSets,
        "sushy-json-samples",
        "bmclib-fixtures",
        "sushy-tools-fake-emulator/exchanges",
        "sushy-tools-libvirt-test-emulator/exchanges",
    ];

    public static string PathOf(string set)
    {
        string dir = Path.Combine(Root, set);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"the mockup set {dir} is missing; the tests need all of {Root}");
        return dir;
    }

    public static IEnumerable<object[]> TreeSetData => TreeSets.Select(s => new object[] { s });

    public static IEnumerable<object[]> AllSetData => AllSets.Select(s => new object[] { s });

    private static string Find()
    {
        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "redfish-mockups");
            searched.Add(candidate);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            "shared/redfish-mockups was not found next to the repository; looked in " + string.Join(", ", searched));
    }
}
