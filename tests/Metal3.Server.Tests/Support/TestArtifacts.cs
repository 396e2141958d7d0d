namespace Metal3.Server.Tests.Support;

/// <summary>
/// Files a test keeps for people to look at (screenshots): in <c>TestResults/</c> at the repository root, where
/// <c>test.sh</c> also writes its .trx files, or in <c>$METAL3_TEST_ARTIFACTS</c>.
/// </summary>
public static class TestArtifacts
{
    public static string PathFor(string fileName)
    {
        string dir = Environment.GetEnvironmentVariable("METAL3_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metal3.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Metal3.sln not found above the test directory");
    }
}
