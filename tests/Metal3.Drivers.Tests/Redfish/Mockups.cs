using System.Reflection;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// The captured Redfish payloads in <c>Redfish/Payloads</c> of this test project (their sources and licences are in its
/// README). The folder is found through the assembly metadata the build records (<c>RedfishPayloads</c>, the project's
/// own directory), not by searching: a missing folder fails the test loudly, and these tests never skip.
/// </summary>
public static class Mockups
{
    private static readonly Lazy<string> FoundRoot = new(Find);

    public static string Root => FoundRoot.Value;

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
        string? dir = typeof(Mockups).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RedfishPayloads")?.Value;
        if (dir is null) throw new InvalidOperationException("the test assembly records no RedfishPayloads metadata (see the .csproj)");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"the Redfish payloads are missing: {dir}");
        return dir;
    }
}
