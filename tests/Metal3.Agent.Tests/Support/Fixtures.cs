namespace Metal3.Agent.Tests.Support;

/// <summary>Fixture trees are read beside the tests' sources (they hold symlinks, which a build copy would flatten).</summary>
public static class Fixtures
{
    public static string Root(string name) => Repository.Path("tests", "Metal3.Agent.Tests", "Fixtures", name);
}
