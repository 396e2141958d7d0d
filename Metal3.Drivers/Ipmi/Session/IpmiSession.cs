using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Ipmi.Session;

/// <summary>
/// One RMCP+ session with one BMC: the keys, both session ids and both sequence numbers. Not thread-safe: the
/// BMC's lock serialises every use. The handshake is in IpmiSession.Handshake.cs.
/// </summary>
internal sealed partial class IpmiSession(IpmiExchange exchange, BmcCredentials credentials, IpmiOptions options, TimeProvider time, ILogger logger)
{
    private SessionKeys? _keys;
    private uint _consoleSessionId;
    private uint _managedSessionId;
    private uint _outboundSequence;
    private uint _lastInboundSequence;
    private byte _requestSequence;

    public bool IsOpen => _keys is not null;
    public CipherSuite? Suite => _keys?.Suite;
    public DateTimeOffset LastUsed { get; private set; }
    public BmcCredentials Credentials => credentials;

    /// <summary>Sends one IPMI request inside the session and returns the BMC's response (any completion code).</summary>
    public async Task<IpmiResponse> RequestAsync(NetFn netFn, byte command, byte[] data, CancellationToken ct, int? attempts = null)
    {
        SessionKeys k = _keys ?? throw new InvalidOperationException("the session is not open");
        byte seq = NextRequestSequence();
        byte[] message = IpmiLanMessage.WriteRequest(netFn, command, seq, data);
        string what = $"{netFn} command 0x{command:X2}";
        options.RequestObserver?.Invoke(message);
        IpmiResponse response = await exchange.RunAsync(
            what,
            () =>
            {
                // A fresh session sequence number for every datagram, retransmissions included: the BMC rejects repeats.
                _outboundSequence = _outboundSequence == uint.MaxValue ? 1 : _outboundSequence + 1;
                return SessionPacketCodec.WriteV20Secure(k, PayloadType.Ipmi, _managedSessionId, _outboundSequence, message,
                    RandomNumberGenerator.GetBytes(AesCbc128.IvLength));
            },
            datagram => AcceptResponse(datagram, k, netFn, command, seq),
            ct,
            attempts);
        LastUsed = time.GetUtcNow();
        return response;
    }

    private Verdict<IpmiResponse> AcceptResponse(byte[] datagram, SessionKeys k, NetFn netFn, byte command, byte seq)
    {
        PacketError error = SessionPacketCodec.TryParse(datagram, k, out SessionPacket? packet);
        if (error != PacketError.None || packet is null)
        {
            return Verdict<IpmiResponse>.Drop($"session packet: {error}");
        }
        if (!packet.IsV20 || packet.SessionId != _consoleSessionId)
        {
            return Verdict<IpmiResponse>.Drop($"wrong session id 0x{packet.SessionId:X8}");
        }
        if (!packet.Authenticated || !packet.Encrypted || packet.PayloadType != PayloadType.Ipmi)
        {
            return Verdict<IpmiResponse>.Drop("unsigned or unencrypted packet inside a secure session");
        }
        // Sequence numbers from the BMC only grow; an old one is a replay (or a duplicate of an answer already taken).
        if (packet.SequenceNumber <= _lastInboundSequence)
        {
            return Verdict<IpmiResponse>.Drop($"replayed session sequence number {packet.SequenceNumber}");
        }
        if (!IpmiLanMessage.TryParseResponse(packet.Payload, out IpmiResponse? response, out string why) || response is null)
        {
            return Verdict<IpmiResponse>.Drop(why);
        }
        if (response.NetFn != netFn || response.Command != command || response.Sequence != seq)
        {
            return Verdict<IpmiResponse>.Drop($"response to {response.NetFn} 0x{response.Command:X2} seq {response.Sequence}, not ours");
        }
        _lastInboundSequence = packet.SequenceNumber;
        return Verdict<IpmiResponse>.Accept(response);
    }

    /// <summary>Sends a request and fails with the completion code's name unless the BMC says "OK".</summary>
    public async Task<byte[]> RequestOkAsync(NetFn netFn, byte command, byte[] data, string what, CancellationToken ct)
    {
        IpmiResponse response = await RequestAsync(netFn, command, data, ct);
        if (!response.IsOk)
        {
            throw new IpmiFailure(BmcOutcome.BmcError, $"{what}: {CompletionCode.Describe(response.CompletionCode)}");
        }
        return response.Data;
    }

    /// <summary>Ends the session on the BMC, best effort: one attempt, no error if the BMC does not answer.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (_keys is null)
        {
            return;
        }
        try
        {
            // ipmi_sim answers Close Session with completion code 0x88 even when it closes the session; ignore the code.
            await RequestAsync(NetFn.App, Command.CloseSession, Commands.SessionCommands.CloseSessionRequest(_managedSessionId), ct, attempts: 1);
        }
        catch (IpmiFailure)
        {
        }
        finally
        {
            _keys = null;
        }
    }

    /// <summary>Forgets the session without telling the BMC (it expired or the BMC restarted).</summary>
    public void Abandon() => _keys = null;

    private byte NextRequestSequence()
    {
        _requestSequence = (byte)((_requestSequence + 1) & 0x3F);
        return _requestSequence;
    }
}
