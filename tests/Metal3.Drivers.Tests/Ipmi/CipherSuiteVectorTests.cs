using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>
/// Cipher suites 3 and 17 against vectors computed independently by Golden/make-vectors.py (Python's hmac, hashlib
/// and cryptography, from the IPMI v2.0 formulas). Suite 17 runs against neither simulator here, so this is its test.
/// </summary>
public sealed class CipherSuiteVectorTests
{
    public static TheoryData<byte> Suites => [3, 17];

    private static RakpInputs Inputs(CipherSuite suite) => new(suite,
        Golden.Vector("input.password"), Golden.Vector("input.sidm"), Golden.Vector("input.sidc"),
        Golden.Vector("input.rm"), Golden.Vector("input.rc"), Golden.Vector("input.guid"),
        Golden.Vector("input.role")[0], Golden.Vector("input.user"));

    [Theory]
    [MemberData(nameof(Suites))]
    public void Rakp_auth_codes_match_the_independent_vectors(byte id)
    {
        RakpInputs inputs = Inputs(CipherSuite.FindById(id)!);

        Assert.Equal(Golden.Vector($"suite{id}.rakp2"), inputs.Rakp2AuthCode());
        Assert.Equal(Golden.Vector($"suite{id}.rakp3"), inputs.Rakp3AuthCode());
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Session_keys_and_rakp4_match_the_independent_vectors(byte id)
    {
        CipherSuite suite = CipherSuite.FindById(id)!;
        RakpInputs inputs = Inputs(suite);
        byte[] sik = inputs.SessionIntegrityKey();

        Assert.Equal(Golden.Vector($"suite{id}.sik"), sik);
        Assert.Equal(Golden.Vector($"suite{id}.k1"), RakpInputs.AdditionalKey(suite, sik, 1));
        Assert.Equal(Golden.Vector($"suite{id}.k2"), RakpInputs.AdditionalKey(suite, sik, 2));
        Assert.Equal(Golden.Vector($"suite{id}.rakp4"), inputs.Rakp4Icv(sik));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_signed_encrypted_packet_is_byte_for_byte_the_independent_one(byte id)
    {
        SessionKeys keys = Inputs(CipherSuite.FindById(id)!).DeriveSessionKeys();

        byte[] packet = SessionPacketCodec.WriteV20Secure(keys, PayloadType.Ipmi, 0x0304, 3, Golden.Vector("input.plain"), Golden.Vector("input.iv"));

        Assert.Equal(Golden.Vector($"suite{id}.packet"), packet);
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(packet, keys, out var parsed));
        Assert.Equal(Golden.Vector("input.plain"), parsed!.Payload);
    }
}
