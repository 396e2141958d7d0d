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
            : Repository.Path("TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }
}
