using System.Security.Cryptography;
using System.Text;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Pxe.VirtualMedia;
using Metal3.Server.Pxe;

namespace Metal3.Server.VirtualMedia;

/// <summary>
/// Where a <c>redfish-virtualmedia://</c> host's agent ISO is: <c>{HttpUrl}/boot/iso/{host id}/{token}.iso</c> on the
/// provisioning listener. The ISO may hold the host's static address, so its URL cannot be guessed from the host id:
/// the token is an HMAC, under a key only this daemon has, of the host id and the ISO's kernel line. A changed
/// networkData is a new kernel line and so a new URL (the old one stops answering). Nothing of the BMC goes into an ISO.
/// </summary>
public sealed class AgentIsoUrls
{
    public const string PathPrefix = "/boot/iso";
    private const int KeyBytes = 32;

    private readonly PxeHosting _pxe;
    private readonly byte[] _key;

    public AgentIsoUrls(PxeHosting pxe, byte[] key)
    {
        _pxe = pxe;
        _key = key.Length >= KeyBytes ? key : throw new ArgumentException($"the URL key must be at least {KeyBytes} bytes", nameof(key));
    }

    /// <summary>
    /// The key in <c>&lt;DataDir&gt;/agent-iso/url.key</c> (owner-only), made on first use: it outlives restarts, so an ISO
    /// inserted before one is still served after it.
    /// </summary>
    public static AgentIsoUrls Open(PxeHosting pxe, string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            string partial = keyFile + ".partial";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // 0600 from the first byte: whoever reads the key can make every host's ISO URL.
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var file = new FileStream(partial, create))
            {
                file.Write(RandomNumberGenerator.GetBytes(KeyBytes));
            }
            File.Move(partial, keyFile, overwrite: false);
        }
        return new AgentIsoUrls(pxe, File.ReadAllBytes(keyFile));
    }

    /// <summary>How the host boots into the agent: a virtual CD for <c>redfish-virtualmedia://</c> BMCs, network boot otherwise.</summary>
    public AgentMedia MediaFor(Guid hostId, HostSpec spec)
    {
        if (!BmcAddress.TryParse(spec.Bmc.Address, out var address, out _) || address.Kind != BmcDriverKind.RedfishVirtualMedia)
        {
            return AgentMedia.Network;
        }
        if (_pxe.HttpUrl is not { } httpUrl)
        {
            return new AgentMedia.Unusable("a redfish-virtualmedia host boots the agent ISO from the provisioning listener, and Metal3:Pxe:HttpUrl is not set");
        }
        var iso = IsoFor(spec, out string? error);
        if (iso is null)
        {
            return new AgentMedia.Unusable(error!);
        }
        return new AgentMedia.VirtualCd(new Uri(httpUrl, $"{PathPrefix}/{hostId:N}/{Token(hostId, iso)}.iso"));
    }

    /// <summary>The ISO a request for <paramref name="token"/> may have, or null when the token is not this host's now.</summary>
    public AgentIso? Check(Guid hostId, HostSpec spec, string token)
    {
        if (MediaFor(hostId, spec) is not AgentMedia.VirtualCd || IsoFor(spec, out _) is not { } iso)
        {
            return null;
        }
        byte[] expected = Encoding.ASCII.GetBytes(Token(hostId, iso));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token)) ? iso : null;
    }

    /// <summary>The kernel line: where the API is, the operator's extra arguments, and the static address if networkData has one.</summary>
    private AgentIso? IsoFor(HostSpec spec, out string? error)
    {
        var address = StaticAddress.From(spec.NetworkData, spec.BootMacAddress, out error);
        if (error is not null)
        {
            return null;
        }
        string args = string.Join(' ', new[]
        {
            "metal3.api=" + _pxe.HttpUrl!.GetLeftPart(UriPartial.Authority), _pxe.AgentKernelArgs, address?.KernelArgs ?? "",
        }.Where(a => a.Length > 0));
        return new AgentIso(_pxe.AgentKernel, _pxe.AgentInitramfs, args);
    }

    private string Token(Guid hostId, AgentIso iso) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{hostId:N}\n{iso.KernelArgs}")))[..32];
}
