using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rakp;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Ipmi.Session;

/// <summary>
/// Session establishment (IPMI v2.0 §13.14-§13.23): Get Channel Authentication Capabilities, Get Channel Cipher Suites,
/// Open Session, RAKP 1-4, then Set Session Privilege Level.
/// </summary>
internal sealed partial class IpmiSession
{
    /// <summary>Open Session statuses that mean "not this cipher suite": try the next one we speak.</summary>
    private static readonly byte[] SuiteRejected = [0x04, 0x05, 0x06, 0x07, 0x10, 0x11];

    private byte _messageTag;

    public async Task OpenAsync(CancellationToken ct)
    {
        _keys = null;
        byte privilege = (byte)options.Privilege;
        byte[] userName = Encoding.UTF8.GetBytes(credentials.Username ?? "");
        if (userName.Length > RakpCodec.MaxUserNameLength)
        {
            throw new IpmiFailure(BmcOutcome.WrongCredentials, $"IPMI user names are at most {RakpCodec.MaxUserNameLength} bytes");
        }
        byte[] kuid = Encoding.UTF8.GetBytes(credentials.Password ?? "");
        if (kuid.Length > 20)
        {
            throw new IpmiFailure(BmcOutcome.WrongCredentials, "IPMI v2.0 passwords are at most 20 bytes");
        }

        ChannelAuthCapabilities caps = await GetAuthCapabilitiesAsync(privilege, ct);
        if (!caps.SupportsIpmiV20)
        {
            throw new IpmiFailure(BmcOutcome.Unsupported,
                "the BMC does not offer IPMI v2.0 (RMCP+) sessions; IPMI v1.5 sessions are not spoken by metal3");
        }
        // Propose ours best first and let Open Session say no: one round trip per refused suite, where listing the
        // BMC's suites first costs one per 16 bytes of records (five on ipmi_sim). The list is fetched only to explain
        // a refusal of them all.
        IReadOnlyList<CipherSuite> candidates = ConfiguredSuites();
        foreach (CipherSuite proposal in candidates)
        {
            _consoleSessionId = NewConsoleSessionId();
            OpenSessionResponse open = await OpenSessionAsync(proposal, ct);
            if (open.Status != 0)
            {
                if (SuiteRejected.Contains(open.Status))
                {
                    if (proposal != candidates[^1])
                    {
                        continue;
                    }
                    throw ExplainNoSuite(await GetCipherSuitesAsync(ct), open.Status);
                }
                throw new IpmiFailure(RmcpPlusStatus.IsCredentialFailure(open.Status) ? BmcOutcome.WrongCredentials : BmcOutcome.BmcError,
                    $"Open Session refused: {RmcpPlusStatus.Describe(open.Status)}");
            }
            // Lenient like ipmitool: pyghmi answers suite 3 whatever is proposed. Accept any answer we can speak.
            CipherSuite suite = CipherSuite.Find(open.Auth, open.Integrity, open.Confidentiality)
                ?? throw RefuseAlgorithms(open);
            _managedSessionId = open.ManagedSessionId;
            await RakpAsync(suite, kuid, userName, (byte)(privilege | RakpCodec.NameOnlyLookup), ct);
            _outboundSequence = 0;
            _lastInboundSequence = 0;
            LastUsed = time.GetUtcNow();
            IpmiLog.SessionOpened(logger, _managedSessionId, exchange.Endpoint, suite.ToString());
            await RequestOkAsync(NetFn.App, Command.SetSessionPrivilegeLevel, SessionCommands.SetPrivilegeRequest(privilege),
                $"Set Session Privilege Level to {options.Privilege}", ct);
            return;
        }
        throw new IpmiFailure(BmcOutcome.Unsupported, "the BMC accepted none of the cipher suites metal3 speaks (17, 3)");
    }

    private static IpmiFailure RefuseAlgorithms(OpenSessionResponse open) =>
        open.Auth == AuthAlgorithm.None || open.Integrity == IntegrityAlgorithm.None || open.Confidentiality == ConfidentialityAlgorithm.None
            ? new IpmiFailure(BmcOutcome.Unsupported,
                $"the BMC offered an unauthenticated or unencrypted session ({open.Auth}/{open.Integrity}/{open.Confidentiality}, " +
                "like cipher suite 0); metal3 refuses it: enable cipher suite 3 or 17 on the BMC")
            : new IpmiFailure(BmcOutcome.Unsupported,
                $"the BMC chose algorithms {open.Auth}/{open.Integrity}/{open.Confidentiality}; metal3 speaks cipher suites 17 and 3 only");

    private List<CipherSuite> ConfiguredSuites()
    {
        var ours = options.CipherSuites.Select(CipherSuite.FindById).OfType<CipherSuite>().ToList();
        return ours.Count > 0
            ? ours
            : throw new IpmiFailure(BmcOutcome.Unsupported, "no usable cipher suite is configured (metal3 speaks 17 and 3)");
    }

    /// <summary>Why no suite of ours was accepted, in the words of the BMC's own list when it gives one.</summary>
    internal static IpmiFailure ExplainNoSuite(IReadOnlyList<byte>? offered, byte status)
    {
        if (offered is null || offered.Count == 0)
        {
            return new IpmiFailure(BmcOutcome.Unsupported,
                $"the BMC accepted neither cipher suite 17 nor 3 (Open Session: {RmcpPlusStatus.Describe(status)})");
        }
        return new IpmiFailure(BmcOutcome.Unsupported, offered.All(id => id == 0)
            ? "the BMC offers only cipher suite 0 (no authentication, no encryption); metal3 refuses it: enable suite 3 or 17"
            : $"the BMC offers cipher suites {string.Join(", ", offered)}; metal3 speaks 17 and 3 only (and refuses 0)");
    }

    private async Task<ChannelAuthCapabilities> GetAuthCapabilitiesAsync(byte privilege, CancellationToken ct)
    {
        byte seq = NextRequestSequence();
        byte[] request = IpmiLanMessage.WriteRequest(NetFn.App, Command.GetChannelAuthenticationCapabilities, seq,
            ChannelCommands.AuthCapabilitiesRequest(privilege));
        IpmiResponse response = await exchange.RunAsync(
            "Get Channel Authentication Capabilities",
            () => SessionPacketCodec.WriteV15SessionLess(request),
            d => AcceptSessionLess(d, Command.GetChannelAuthenticationCapabilities, seq),
            ct);
        if (!response.IsOk)
        {
            throw new IpmiFailure(BmcOutcome.BmcError,
                $"Get Channel Authentication Capabilities: {CompletionCode.Describe(response.CompletionCode)}");
        }
        if (!ChannelCommands.TryParseAuthCapabilities(response.Data, out var caps, out string error) || caps is null)
        {
            throw new IpmiFailure(BmcOutcome.BmcError, error);
        }
        return caps;
    }

    /// <summary>The suites the BMC lists, or null when it cannot say (old BMCs answer "invalid command").</summary>
    private async Task<IReadOnlyList<byte>?> GetCipherSuitesAsync(CancellationToken ct)
    {
        var records = new List<byte>();
        for (byte index = 0; index < ChannelCommands.MaxCipherSuiteBlocks; index++)
        {
            byte seq = NextRequestSequence();
            byte[] request = IpmiLanMessage.WriteRequest(NetFn.App, Command.GetChannelCipherSuites, seq,
                ChannelCommands.CipherSuitesRequest(index));
            IpmiResponse response;
            try
            {
                response = await exchange.RunAsync(
                    "Get Channel Cipher Suites",
                    () => SessionPacketCodec.WriteV15SessionLess(request),
                    d => AcceptSessionLess(d, Command.GetChannelCipherSuites, seq),
                    ct,
                    attempts: 2);
            }
            catch (IpmiFailure)
            {
                return null; // it answered Get Channel Authentication Capabilities, so it is there: just not this command
            }
            if (!response.IsOk || !ChannelCommands.TryParseCipherSuitesBlock(response.Data, out byte[] block, out _))
            {
                return null;
            }
            records.AddRange(block);
            if (block.Length < ChannelCommands.CipherSuiteBlockLength)
            {
                break;
            }
        }
        return ChannelCommands.CipherSuiteIds(records.ToArray());
    }

    /// <summary>Session-less answers come as IPMI v1.5 (ipmi_sim) or v2.0 with session id 0 (pyghmi's cipher suites).</summary>
    private static Verdict<IpmiResponse> AcceptSessionLess(byte[] datagram, byte command, byte seq)
    {
        PacketError error = SessionPacketCodec.TryParse(datagram, null, out SessionPacket? packet);
        if (error != PacketError.None || packet is null)
        {
            return Verdict<IpmiResponse>.Drop($"session-less packet: {error}");
        }
        if (packet.SessionId != 0 || packet.PayloadType != PayloadType.Ipmi)
        {
            return Verdict<IpmiResponse>.Drop("not a session-less IPMI message");
        }
        if (!IpmiLanMessage.TryParseResponse(packet.Payload, out var response, out string why) || response is null)
        {
            return Verdict<IpmiResponse>.Drop(why);
        }
        return response.NetFn == NetFn.App && response.Command == command && response.Sequence == seq
            ? Verdict<IpmiResponse>.Accept(response)
            : Verdict<IpmiResponse>.Drop("session-less response to another request");
    }

    private Task<OpenSessionResponse> OpenSessionAsync(CipherSuite suite, CancellationToken ct)
    {
        byte tag = ++_messageTag;
        // Max privilege 0 = "the highest the proposed algorithms allow", as ipmitool sends; RAKP 1 asks for the real one.
        byte[] request = OpenSessionCodec.WriteRequest(tag, 0, _consoleSessionId, suite);
        return exchange.RunAsync(
            "Open Session",
            () => SessionPacketCodec.WriteV20Plain(PayloadType.OpenSessionRequest, 0, 0, request),
            d =>
            {
                if (!TryPlain(d, PayloadType.OpenSessionResponse, out byte[] payload, out string why))
                {
                    return Verdict<OpenSessionResponse>.Drop(why);
                }
                if (!OpenSessionCodec.TryParseResponse(payload, out var open, out why) || open is null)
                {
                    return Verdict<OpenSessionResponse>.Drop(why);
                }
                // An error answer may be too short to carry the session id (ipmi_sim): then the tag alone matches it.
                return open.Tag == tag && (open.Status != 0 || open.ConsoleSessionId == _consoleSessionId)
                    ? Verdict<OpenSessionResponse>.Accept(open)
                    : Verdict<OpenSessionResponse>.Drop("Open Session Response for another request");
            },
            ct);
    }

    private async Task RakpAsync(CipherSuite suite, byte[] kuid, byte[] userName, byte role, CancellationToken ct)
    {
        byte[] consoleRandom = RandomNumberGenerator.GetBytes(RakpCodec.RandomLength);
        byte tag = ++_messageTag;
        byte[] rakp1 = RakpCodec.WriteRakp1(tag, _managedSessionId, consoleRandom, role, userName);
        Func<byte[], Verdict<Rakp2>> acceptRakp2 = d =>
        {
            if (!TryPlain(d, PayloadType.Rakp2, out byte[] payload, out string why))
            {
                return Verdict<Rakp2>.Drop(why);
            }
            if (!RakpCodec.TryParseRakp2(payload, suite.KeyLength, out var r, out why) || r is null)
            {
                return Verdict<Rakp2>.Drop(why);
            }
            return r.Tag == tag && (r.Status != 0 || r.ConsoleSessionId == _consoleSessionId)
                ? Verdict<Rakp2>.Accept(r)
                : Verdict<Rakp2>.Drop("RAKP 2 for another request");
        };
        Rakp2 rakp2;
        try
        {
            rakp2 = await exchange.RunAsync("RAKP 1", () => SessionPacketCodec.WriteV20Plain(PayloadType.Rakp1, 0, 0, rakp1), acceptRakp2, ct);
        }
        catch (IpmiFailure f) when (f.Outcome == BmcOutcome.Unreachable)
        {
            // It answered Open Session a moment ago; BMCs such as pyghmi stay silent on an unknown user name.
            throw new IpmiFailure(BmcOutcome.WrongCredentials,
                $"the BMC answered Open Session but not RAKP 1 (unknown user name?): {f.Message}");
        }
        RakpInputs Inputs(Rakp2 r) => new(suite, kuid, LittleEndian(_consoleSessionId), LittleEndian(_managedSessionId),
            consoleRandom, r.ManagedRandom, r.ManagedGuid, role, userName);
        bool Verifies(Rakp2 r) => r.Status == 0 && CryptographicOperations.FixedTimeEquals(Inputs(r).Rakp2AuthCode(), r.AuthCode);
        if (!Verifies(rakp2))
        {
            // RAKP 2 is not signed by anything we can check yet: a corrupted or forged one may come first. Give the
            // genuine one a moment before calling the password wrong.
            IpmiLog.Dropped(logger, exchange.Endpoint, "RAKP 2 does not verify with this password; waiting briefly for another");
            Rakp2? better = await exchange.WaitForBetterAsync(
                d => acceptRakp2(d) is { Answer: { } r } && Verifies(r) ? Verdict<Rakp2>.Accept(r) : Verdict<Rakp2>.Drop("RAKP 2 does not verify"),
                options.RetransmitTimeout / 4, ct);
            rakp2 = better ?? rakp2;
        }
        if (rakp2.Status != 0)
        {
            throw new IpmiFailure(RmcpPlusStatus.IsCredentialFailure(rakp2.Status) ? BmcOutcome.WrongCredentials : BmcOutcome.BmcError,
                $"RAKP 2: {RmcpPlusStatus.Describe(rakp2.Status)}");
        }
        if (!Verifies(rakp2))
        {
            throw new IpmiFailure(BmcOutcome.WrongCredentials,
                "RAKP 2: the BMC's key exchange code does not match this password (wrong password)");
        }
        var inputs = Inputs(rakp2);

        tag = ++_messageTag;
        byte[] rakp3 = RakpCodec.WriteRakp3(tag, 0, _managedSessionId, inputs.Rakp3AuthCode());
        byte[] sik = inputs.SessionIntegrityKey();
        bool sawBadIcv = false;
        Rakp4 rakp4;
        try
        {
            rakp4 = await exchange.RunAsync(
                "RAKP 3",
                () => SessionPacketCodec.WriteV20Plain(PayloadType.Rakp3, 0, 0, rakp3),
                d =>
                {
                    if (!TryPlain(d, PayloadType.Rakp4, out byte[] payload, out string why))
                    {
                        return Verdict<Rakp4>.Drop(why);
                    }
                    if (!RakpCodec.TryParseRakp4(payload, suite.Rakp4IcvLength, out var r, out why) || r is null)
                    {
                        return Verdict<Rakp4>.Drop(why);
                    }
                    if (r.Tag != tag || (r.Status == 0 && r.ConsoleSessionId != _consoleSessionId))
                    {
                        return Verdict<Rakp4>.Drop("RAKP 4 for another request");
                    }
                    // A RAKP 4 whose check value is wrong cannot be the BMC's if RAKP 2 verified: drop it and wait on.
                    if (r.Status != 0 || CryptographicOperations.FixedTimeEquals(inputs.Rakp4Icv(sik), r.IntegrityCheckValue))
                    {
                        return Verdict<Rakp4>.Accept(r);
                    }
                    sawBadIcv = true;
                    return Verdict<Rakp4>.Drop("RAKP 4 integrity check value does not match");
                },
                ct);
        }
        catch (IpmiFailure f) when (f.Outcome == BmcOutcome.Unreachable && sawBadIcv)
        {
            throw new IpmiFailure(BmcOutcome.WrongCredentials,
                $"RAKP 4: the integrity check value never matched (is a BMC key, Kg, set?): {f.Message}");
        }
        if (rakp4.Status != 0)
        {
            throw new IpmiFailure(BmcOutcome.WrongCredentials, $"RAKP 4: {RmcpPlusStatus.Describe(rakp4.Status)}");
        }
        _keys = inputs.DeriveSessionKeys();
    }

    private static bool TryPlain(byte[] datagram, PayloadType expected, out byte[] payload, out string why)
    {
        payload = [];
        PacketError error = SessionPacketCodec.TryParse(datagram, null, out SessionPacket? packet);
        if (error != PacketError.None || packet is null)
        {
            why = $"handshake packet: {error}";
            return false;
        }
        if (!packet.IsV20 || packet.PayloadType != expected || packet.Authenticated || packet.Encrypted)
        {
            why = $"expected a plain {expected}, got {(packet.IsV20 ? packet.PayloadType.ToString() : "IPMI v1.5")}";
            return false;
        }
        payload = packet.Payload;
        why = "";
        return true;
    }

    private static uint NewConsoleSessionId()
    {
        uint id;
        do
        {
            id = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
        }
        while (id == 0);
        return id;
    }

    private static byte[] LittleEndian(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }
}
