using System.Buffers.Binary;
using System.Security.Cryptography;
using Metal3.Drivers.Ipmi.Crypto;

namespace Metal3.Drivers.Ipmi.Rmcp;

/// <summary>An IPMI session packet after parsing: which format, which session, and the (decrypted) payload.</summary>
internal sealed record SessionPacket(
    bool IsV20,
    PayloadType PayloadType,
    bool Encrypted,
    bool Authenticated,
    uint SessionId,
    uint SequenceNumber,
    byte[] Payload);
