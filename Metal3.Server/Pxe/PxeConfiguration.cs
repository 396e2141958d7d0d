using System.Net;
using Nic = System.Net.NetworkInformation.NetworkInterface;
using System.Net.Sockets;
using Metal3.Core.Hosts;
using Metal3.Pxe;
using Metal3.Pxe.Dhcp;
using Metal3.Server.Hosting;

namespace Metal3.Server.Pxe;

/// <summary>
/// Reads <c>Metal3:Pxe</c> (DESIGN.md, "Network boot") into <see cref="PxeHosting"/> and refuses, before anything
/// listens, a configuration that would hand out wrong addresses or point machines at nothing: every problem is listed
/// in one exception naming the key. Addresses are strings in configuration; parsing them here gives those messages.
/// </summary>
public static class PxeConfiguration
{
    public const string Section = "Metal3:Pxe";

    /// <summary>Every key this reads, for the daemon's check of unknown keys.</summary>
    public static ConfigurationKeys DeclareKeys(ConfigurationKeys keys) => keys
        .ReadByHand(KeysRead.Select(k => $"{Section}:{k}"))
        .OpenSection($"{Section}:Dhcp:DnsServers")
        .OpenSection($"{Section}:Dhcp:Reservations");

    private static readonly string[] KeysRead =
    [
        "Interface", "Address", "HttpUrl", "AgentKernel", "AgentInitramfs", "AgentKernelArgs", "ImagesDir",
        "Dhcp:Mode", "Dhcp:RangeStart", "Dhcp:RangeEnd", "Dhcp:SubnetMask", "Dhcp:Router", "Dhcp:LeaseSeconds", "Dhcp:Discovery",
        "Dhcp:KnownClientsOnly",
        "Tftp:Root", "Tftp:Port", "Tftp:MaxSessionsPerClient",
    ];

    /// <param name="interfaces">The machine's interfaces; tests pass their own.</param>
    public static PxeHosting Read(IConfiguration config, string dataDir, IReadOnlyList<Nic>? interfaces = null)
    {
        var errors = new List<string>();
        var pxe = Read(config, dataDir, interfaces, errors);
        return errors.Count == 0 ? pxe : throw Invalid(errors);
    }

    /// <summary>Every problem, each naming its key; none when network boot is off or well configured.</summary>
    public static List<string> Problems(IConfiguration config, string dataDir)
    {
        var errors = new List<string>();
        Read(config, dataDir, null, errors);
        return errors;
    }

    private static PxeHosting Read(IConfiguration config, string dataDir, IReadOnlyList<Nic>? interfaces, List<string> errors)
    {
        var pxe = config.GetSection(Section);
        string? name = Text(pxe["Interface"]);
        if (name is null)
        {
            // DHCP and TFTP answer broadcasts on one interface, so they need it; the provisioning listener is plain HTTP
            // on HttpUrl's address and runs alone, for virtual-media hosts on a network without our DHCP.
            if (Text(pxe["Dhcp:Mode"]) is { } mode && !mode.Equals("off", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{Section}:Dhcp:Mode is set but {Section}:Interface is not: DHCP and TFTP run only on a configured interface");
            }
            return HttpUrl(pxe["HttpUrl"], errors) is { } listenerOnly
                ? WithAgentFiles(new PxeHosting { Options = new PxeOptions { HttpUrl = listenerOnly } }, pxe, dataDir)
                : PxeHosting.Off;
        }

        var nic = (interfaces ?? Nic.GetAllNetworkInterfaces()).FirstOrDefault(n => n.Name == name);
        var nicAddress = nic?.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        if (nic is null)
        {
            errors.Add($"{Section}:Interface '{name}' does not exist on this machine");
        }
        var address = Ipv4(pxe, "Address", errors) ?? nicAddress?.Address;
        if (address is null && nic is not null)
        {
            errors.Add($"{Section}:Interface '{name}' has no IPv4 address; give it one or set {Section}:Address");
        }

        var httpUrl = HttpUrl(pxe["HttpUrl"], errors);
        var dhcp = ReadDhcp(pxe.GetSection("Dhcp"), address, nicAddress?.IPv4Mask, errors);
        if (dhcp.Mode != DhcpMode.Off && httpUrl is null && pxe["HttpUrl"] is null)
        {
            errors.Add($"{Section}:Dhcp:Mode={dhcp.Mode.ToString().ToLowerInvariant()} needs {Section}:HttpUrl (e.g. http://{address?.ToString() ?? "198.18.0.1"}:8080): iPXE fetches its script there");
        }
        var tftp = ReadTftp(pxe.GetSection("Tftp"), errors);
        return WithAgentFiles(new PxeHosting
        {
            Options = new PxeOptions { Interface = name, Address = address, HttpUrl = httpUrl, Dhcp = dhcp, Tftp = tftp },
        }, pxe, dataDir);
    }

    /// <summary>What the provisioning listener serves: the agent's files, its kernel line, and the images directory.</summary>
    private static PxeHosting WithAgentFiles(PxeHosting hosting, IConfigurationSection pxe, string dataDir) => hosting with
    {
        AgentKernel = FullPath(pxe["AgentKernel"], dataDir, "ramdisk/vmlinuz"),
        AgentInitramfs = FullPath(pxe["AgentInitramfs"], dataDir, "ramdisk/initramfs"),
        AgentKernelArgs = Text(pxe["AgentKernelArgs"]) ?? "",
        ImagesDir = FullPath(pxe["ImagesDir"], dataDir, "images"),
        AgentIsoDir = Path.Combine(Path.GetFullPath(dataDir), "agent-iso"),
    };

    private static DhcpOptions ReadDhcp(IConfigurationSection dhcp, IPAddress? server, IPAddress? interfaceMask, List<string> errors)
    {
        string prefix = $"{Section}:Dhcp";
        var mode = (Text(dhcp["Mode"]) ?? "off").ToLowerInvariant() switch
        {
            "off" => DhcpMode.Off,
            "full" => DhcpMode.Full,
            "proxy" => DhcpMode.Proxy,
            var other => Error<DhcpMode>(errors, $"{prefix}:Mode must be off, full or proxy, not '{other}'"),
        };
        var mask = Ipv4(dhcp, "SubnetMask", errors) ?? interfaceMask ?? IPAddress.Parse("255.255.255.0");
        var options = new DhcpOptions
        {
            Mode = mode,
            RangeStart = Ipv4(dhcp, "RangeStart", errors),
            RangeEnd = Ipv4(dhcp, "RangeEnd", errors),
            SubnetMask = mask,
            Router = Ipv4(dhcp, "Router", errors),
            DnsServers = List(dhcp, "DnsServers").Select(s => Ipv4(s, $"{prefix}:DnsServers", errors)).OfType<IPAddress>().ToList(),
            LeaseSeconds = Int(dhcp, "LeaseSeconds", 3600, 60, int.MaxValue / 8, errors),
            Discovery = Bool(dhcp, "Discovery", errors),
            KnownClientsOnly = Bool(dhcp, "KnownClientsOnly", errors),
            Reservations = Reservations(dhcp.GetSection("Reservations"), errors),
        };
        if (mode != DhcpMode.Full || server is null)
        {
            return options;
        }
        if (options.RangeStart is not { } start || options.RangeEnd is not { } end)
        {
            errors.Add($"{prefix}:Mode=full needs {prefix}:RangeStart and {prefix}:RangeEnd (the addresses to hand out)");
            return options;
        }
        if (Metal3.Pxe.Dhcp.Ipv4.ToUInt32(start) > Metal3.Pxe.Dhcp.Ipv4.ToUInt32(end))
        {
            errors.Add($"{prefix}:RangeStart {start} is after RangeEnd {end}");
        }
        foreach (var (what, a) in new[] { ("RangeStart", start), ("RangeEnd", end) }.Concat(options.Reservations.Select(r => ($"Reservations:{r.Key}", r.Value))))
        {
            if (!Metal3.Pxe.Dhcp.Ipv4.SameSubnet(a, server, mask))
            {
                errors.Add($"{prefix}:{what} {a} is outside the server's subnet {server}/{mask}: clients could not reach us");
            }
        }
        if (new DhcpPool(start, end, new Dictionary<string, IPAddress>()).InRange(server))
        {
            errors.Add($"{prefix}: the range {start}-{end} includes the server's own address {server}");
        }
        return options;
    }

    private static TftpOptions ReadTftp(IConfigurationSection tftp, List<string> errors)
    {
        var defaults = new TftpOptions();
        string root = Text(tftp["Root"]) ?? defaults.Root;
        if (!Directory.Exists(root))
        {
            errors.Add($"{Section}:Tftp:Root '{root}' is not a directory (install the Debian package 'ipxe' or point it at the iPXE binaries)");
        }
        return defaults with
        {
            Root = root,
            Port = Int(tftp, "Port", defaults.Port, 1, 65535, errors),
            // More than the whole table would mean no cap at all: say so rather than accept it.
            MaxSessionsPerClient = Int(tftp, "MaxSessionsPerClient", defaults.MaxSessionsPerClient, 1, defaults.MaxSessions, errors),
        };
    }

    /// <summary>Keys are MACs written with '-' (':' separates configuration sections), values IPv4 addresses.</summary>
    private static Dictionary<string, IPAddress> Reservations(IConfigurationSection section, List<string> errors)
    {
        var result = new Dictionary<string, IPAddress>();
        foreach (var entry in section.GetChildren())
        {
            if (!MacAddress.TryNormalize(entry.Key, out var mac))
            {
                errors.Add($"{Section}:Dhcp:Reservations:{entry.Key}: not a MAC address (write it as 52-54-00-12-34-56)");
                continue;
            }
            if (Ipv4(entry.Value, $"{Section}:Dhcp:Reservations:{entry.Key}", errors) is { } address)
            {
                result[mac] = address;
            }
        }
        return result;
    }

    /// <summary>An http URL whose host is an IPv4 literal: it is both where we listen and what clients are told.</summary>
    private static Uri? HttpUrl(string? value, List<string> errors)
    {
        if (Text(value) is not { } text)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
            || !IPAddress.TryParse(uri.Host, out var host) || host.AddressFamily != AddressFamily.InterNetwork
            || host.Equals(IPAddress.Any) || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            errors.Add($"{Section}:HttpUrl '{text}' must be http://<IPv4 address>:<port> (e.g. http://198.18.0.1:8080): machines without DNS are sent there");
            return null;
        }
        return uri;
    }

    private static IPAddress? Ipv4(IConfigurationSection section, string key, List<string> errors) =>
        Ipv4(section[key], $"{section.Path}:{key}", errors);

    private static IPAddress? Ipv4(string? value, string key, List<string> errors)
    {
        if (Text(value) is not { } text)
        {
            return null;
        }
        if (IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
        {
            return address;
        }
        errors.Add($"{key} '{text}' is not an IPv4 address");
        return null;
    }

    /// <summary>A list as configuration children (<c>DnsServers:0</c>) or one comma-separated value.</summary>
    private static IEnumerable<string> List(IConfigurationSection section, string key) =>
        Text(section[key]) is { } one
            ? one.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetSection(key).GetChildren().Select(c => c.Value ?? "");

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max, List<string> errors)
    {
        if (Text(section[key]) is not { } text)
        {
            return fallback;
        }
        if (int.TryParse(text, out int value) && value >= min && value <= max)
        {
            return value;
        }
        errors.Add($"{section.Path}:{key} must be a whole number from {min} to {max}, not '{text}'");
        return fallback;
    }

    private static bool Bool(IConfigurationSection section, string key, List<string> errors)
    {
        if (Text(section[key]) is not { } text)
        {
            return false;
        }
        if (bool.TryParse(text, out bool value))
        {
            return value;
        }
        errors.Add($"{section.Path}:{key} must be true or false, not '{text}'");
        return false;
    }

    private static string FullPath(string? configured, string dataDir, string fallback) =>
        Path.GetFullPath(Text(configured) ?? Path.Combine(dataDir, fallback));

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T Error<T>(List<string> errors, string message) where T : struct
    {
        errors.Add(message);
        return default;
    }

    private static InvalidOperationException Invalid(List<string> errors) =>
        new("Network boot configuration refused:\n  " + string.Join("\n  ", errors));
}
