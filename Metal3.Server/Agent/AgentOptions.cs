namespace Metal3.Server.Agent;

/// <summary>The <c>Metal3:Agent</c> configuration section: the ramdisk deploy agent for hosts with a real BMC.</summary>
public sealed class AgentOptions
{
    public const string Section = "Metal3:Agent";

    /// <summary>
    /// Whether hosts with a real BMC boot into the ramdisk agent. Default: on when the provisioning listener
    /// (<c>Metal3:Pxe:HttpUrl</c>) is configured, since without it no host could reach the agent API or its ramdisk.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>How long a host may take from the agent command to the agent fetching it (power cycle, PXE, ramdisk).</summary>
    public TimeSpan BootTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// How long a running command may go without a heartbeat before it counts as failed; also how long an agent session
    /// stays alive after its last heartbeat (or its lookup), during which another lookup for the host gets no token.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the agent heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lookups a minute from one source address; more get <c>429</c>. An agent looks up once per boot, and every 5 s while
    /// its host is not yet in a state that expects it.
    /// </summary>
    public int LookupsPerMinute { get; set; } = 30;

    /// <summary>
    /// How long a discovered machine (an agent whose lookup found no host) is kept after its last report; its agent
    /// reports every <see cref="DiscoveryReportInterval"/>, so a machine that is switched off is forgotten after this.
    /// </summary>
    public TimeSpan DiscoveryTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a discovered machine's agent reports again (it looks up every 5 s in between).</summary>
    public TimeSpan DiscoveryReportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this many discovered machines are kept; a new one beyond it is refused until others expire.</summary>
    public int DiscoveryMaxMachines { get; set; } = 1000;

    /// <summary>The largest inventory (as JSON) a discovery report may carry; a real machine's is a few KiB.</summary>
    public int DiscoveryMaxInventoryBytes { get; set; } = 64 * 1024;

    public static AgentOptions From(IConfiguration config)
    {
        var options = config.GetSection(Section).Get<AgentOptions>() ?? new AgentOptions();
        DefaultEnabled(options, config);
        return options;
    }

    public static void DefaultEnabled(AgentOptions options, IConfiguration config) =>
        options.Enabled ??= !string.IsNullOrWhiteSpace(config["Metal3:Pxe:HttpUrl"]);
}
