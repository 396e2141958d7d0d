namespace Metal3.Core.Hosts;

public static class Checksums
{
    /// <summary>Hex digits each algorithm's digest has.</summary>
    public static int HexLength(ChecksumType type) => type switch
    {
        ChecksumType.Md5 => 32,
        ChecksumType.Sha256 => 64,
        ChecksumType.Sha512 => 128,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "auto has no length of its own"),
    };

    /// <summary>"auto" is resolved from the digest's length, as Ironic does; null when the length fits no algorithm.</summary>
    public static ChecksumType? Infer(string hex) => hex.Length switch
    {
        32 => ChecksumType.Md5,
        64 => ChecksumType.Sha256,
        128 => ChecksumType.Sha512,
        _ => null,
    };

    public static bool IsHex(string s) => s.Length > 0 && s.All(Uri.IsHexDigit);
}
