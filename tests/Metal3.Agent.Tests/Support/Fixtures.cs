namespace Metal3.Agent.Tests.Support;

/// <summary>Fixture trees live beside the tests' sources (they hold symlinks, which a build copy would flatten).</summary>
public static class Fixtures
{
    public static string Root(string name) => Path.Combine(SourceDirectory(), "Fixtures", name);

    private static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Metal3.Agent.Tests");
            if (Directory.Exists(Path.Combine(candidate, "Fixtures")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"tests/Metal3.Agent.Tests/Fixtures not found above {AppContext.BaseDirectory}");
    }
}
