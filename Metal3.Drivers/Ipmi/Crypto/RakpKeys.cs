namespace Metal3.Drivers.Ipmi.Crypto;

/// <summary>
/// What both ends of a RAKP exchange know, and the HMACs and keys computed from it (IPMI v2.0 §13.20-§13.23, §13.31,
/// §13.32). Session IDs are in wire order (little endian), as they go into the HMACs.
/// </summary>
internal sealed record RakpInputs(
    CipherSuite Suite,
    byte[] Kuid,
    byte[] ConsoleSessionId,
    byte[] ManagedSessionId,
    byte[] ConsoleRandom,
    byte[] ManagedRandom,
    byte[] ManagedGuid,
    byte Role,
    byte[] UserName)
{
    /// <summary>RAKP 2 auth code: HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm) (§13.31).</summary>
    public byte[] Rakp2AuthCode() =>
        Suite.Hmac(Kuid, [.. ConsoleSessionId, .. ManagedSessionId, .. ConsoleRandom, .. ManagedRandom, .. ManagedGuid,
            Role, (byte)UserName.Length, .. UserName]);

    /// <summary>RAKP 3 auth code: HMAC_Kuid(Rc | SIDm | ROLEm | ULENGTHm | UNAMEm) (§13.31).</summary>
    public byte[] Rakp3AuthCode() =>
        Suite.Hmac(Kuid, [.. ManagedRandom, .. ConsoleSessionId, Role, (byte)UserName.Length, .. UserName]);

    /// <summary>
    /// Session Integrity Key: HMAC_Kg(Rm | Rc | ROLEm | ULENGTHm | UNAMEm) (§13.31). Kg is the BMC key; when none is set
    /// (the usual case, and the only one here) Kg = Kuid.
    /// </summary>
    public byte[] SessionIntegrityKey() =>
        Suite.Hmac(Kuid, [.. ConsoleRandom, .. ManagedRandom, Role, (byte)UserName.Length, .. UserName]);

    /// <summary>K_n = HMAC_SIK(const n repeated to the HMAC length) (§13.32): K1 signs packets, K2 keys AES.</summary>
    public static byte[] AdditionalKey(CipherSuite suite, byte[] sik, byte n) =>
        suite.Hmac(sik, Enumerable.Repeat(n, suite.KeyLength).ToArray());

    /// <summary>RAKP 4 integrity check value: HMAC_SIK(Rm | SIDc | GUIDc), truncated as the integrity algorithm (§13.28).</summary>
    public byte[] Rakp4Icv(byte[] sik) =>
        Suite.Hmac(sik, [.. ConsoleRandom, .. ManagedSessionId, .. ManagedGuid])[..Suite.Rakp4IcvLength];

    /// <summary>The keys of an established session.</summary>
    public SessionKeys DeriveSessionKeys()
    {
        byte[] sik = SessionIntegrityKey();
        byte[] k1 = AdditionalKey(Suite, sik, 0x01);
        byte[] k2 = AdditionalKey(Suite, sik, 0x02);
        return new SessionKeys(Suite, k1, k2[..AesCbc128.KeyLength]);
    }
}

/// <summary>The keys of an established session: K1 for the integrity AuthCode, the first 16 bytes of K2 for AES.</summary>
internal sealed record SessionKeys(CipherSuite Suite, byte[] K1, byte[] AesKey);
