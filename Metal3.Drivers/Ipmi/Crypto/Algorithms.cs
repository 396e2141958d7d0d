namespace Metal3.Drivers.Ipmi.Crypto;

/// <summary>Authentication algorithm numbers (IPMI v2.0 Table 13-17).</summary>
internal enum AuthAlgorithm : byte
{
    None = 0x00,
    RakpHmacSha1 = 0x01,
    RakpHmacMd5 = 0x02,
    RakpHmacSha256 = 0x03,
}

/// <summary>Integrity algorithm numbers (IPMI v2.0 Table 13-18).</summary>
internal enum IntegrityAlgorithm : byte
{
    None = 0x00,
    HmacSha1_96 = 0x01,
    HmacMd5_128 = 0x02,
    Md5_128 = 0x03,
    HmacSha256_128 = 0x04,
}

/// <summary>Confidentiality algorithm numbers (IPMI v2.0 Table 13-19).</summary>
internal enum ConfidentialityAlgorithm : byte
{
    None = 0x00,
    AesCbc128 = 0x01,
    XRc4_128 = 0x02,
    XRc4_40 = 0x03,
}
