using System.Security.Cryptography;

namespace Metal3.Drivers.Ipmi.Crypto;

/// <summary>
/// AES-CBC-128 confidentiality (IPMI v2.0 §13.29). An encrypted payload is
/// <code>
/// IV (16) | AES-CBC( payload data | pad 0x01 0x02 .. 0xNN | pad length N ) -- a multiple of 16 bytes
/// </code>
/// The padding is IPMI's own (not PKCS#7), so the cipher runs with no padding and the trailer is handled here.
/// </summary>
internal static class AesCbc128
{
    public const int KeyLength = 16;
    public const int BlockLength = 16;
    public const int IvLength = 16;

    public static int EncryptedLength(int plainLength) => IvLength + RoundUp(plainLength + 1);

    /// <summary>Encrypts <paramref name="plain"/> with the given IV; returns IV + ciphertext.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plain)
    {
        int padded = RoundUp(plain.Length + 1);
        int pad = padded - plain.Length - 1;
        var body = new byte[padded];
        plain.CopyTo(body);
        for (int i = 0; i < pad; i++)
        {
            body[plain.Length + i] = (byte)(i + 1);
        }
        body[^1] = (byte)pad;
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var result = new byte[IvLength + padded];
        iv.CopyTo(result);
        aes.EncryptCbc(body, iv, result.AsSpan(IvLength), PaddingMode.None);
        return result;
    }

    /// <summary>Decrypts IV + ciphertext and strips the confidentiality trailer; false when the shape or padding is wrong.</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> encrypted, out byte[] plain, out string error)
    {
        plain = [];
        if (encrypted.Length < IvLength + BlockLength || (encrypted.Length - IvLength) % BlockLength != 0)
        {
            error = $"encrypted payload of {encrypted.Length} bytes is not IV + whole AES blocks";
            return false;
        }
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        byte[] body = aes.DecryptCbc(encrypted[IvLength..], encrypted[..IvLength], PaddingMode.None);
        int pad = body[^1];
        if (pad >= BlockLength || pad + 1 > body.Length)
        {
            error = $"confidentiality pad length {pad} is impossible";
            return false;
        }
        // The spec fills the pad with 1, 2, 3..; ipmitool and ipmi_sim do, but we only check the length, as ipmitool does.
        plain = body[..(body.Length - pad - 1)];
        error = "";
        return true;
    }

    private static int RoundUp(int n) => (n + BlockLength - 1) / BlockLength * BlockLength;
}
