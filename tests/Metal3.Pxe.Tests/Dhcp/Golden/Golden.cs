namespace Metal3.Pxe.Tests.Dhcp.Golden;

internal static class GoldenPackets
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Dhcp", "Golden");

    public static byte[] Load(string name) => Convert.FromHexString(File.ReadAllText(Path.Combine(Directory, name + ".hex")).Trim());

    public static IEnumerable<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.hex").Select(Path.GetFileNameWithoutExtension).Order().Cast<string>();
}
