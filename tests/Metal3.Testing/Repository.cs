using System.Reflection;

namespace Metal3.Testing;

/// <summary>
/// Where things are in the repository and its build output, as the build recorded them in this assembly
/// (<c>Metal3.Testing.csproj</c>): nothing is found by walking up from the test's directory or by guessing an output path.
/// </summary>
public static class Repository
{
    /// <summary>The repository's top directory (where <c>Metal3.sln</c> is).</summary>
    public static string Root { get; } = Recorded("RepositoryRoot");

    /// <summary>A path inside the repository, e.g. <c>Path("deploy", "metal3.service")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The daemon's build output, in the configuration (Debug or Release) the tests were built in.</summary>
    public static string ServerDll => Program("Metal3.Server", "Metal3.Server");

    /// <summary>metal3ctl's build output, in the configuration the tests were built in.</summary>
    public static string CliDll => Program("metal3ctl", "Metal3.Cli");

    private static string Program(string assembly, string project)
    {
        string dll = Recorded("Program:" + assembly);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build {project} first", dll);
    }

    private static string Recorded(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Metal3.Testing records no {key} metadata (see its .csproj)");
}
