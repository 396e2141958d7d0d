using Metal3.Core.Hosts;

namespace Metal3.Contracts.Agent;

// The deploy agent protocol (DESIGN.md "The deploy agent"), shared by the daemon and the agent. The agent pulls:
//   POST /api/v1/agent/lookup                                   → its host name and an agent token, once per boot
//   POST /api/v1/agent/hosts/{name}/heartbeat                   → the next command, if any (bearer: agent token)
//   POST /api/v1/agent/hosts/{name}/commands/{id}/result        ← the command's outcome   (bearer: agent token)
//   POST /api/v1/agent/discovery                                ← an unknown machine's inventory, while lookup says 404

/// <summary>
/// The agent's first call: every MAC it has (the daemon matches one against bootMacAddress). <see cref="Inventory"/> is
/// ignored: anyone can look up, so the daemon takes hardware only as the inspect command's result, under the agent
/// token. It stays so that an older agent, which sends it, is not refused for an unknown field.
/// </summary>
public sealed record AgentLookupRequest(IReadOnlyList<string> Macs, HardwareDetails? Inventory = null);

public sealed record AgentLookupResponse(string HostName, string Token, int HeartbeatSeconds);

/// <summary>
/// What an agent whose lookup found no host reports, so that an operator can see the machine and enroll it
/// (<c>GET /api/v1/discovered</c>). Nobody vouches for it: anyone on the provisioning network can send one, so it is a
/// hint for the operator, never applied to an enrolled host. <see cref="BmcAddress"/> is the BMC's IP address when the
/// ramdisk could read it, else null.
/// </summary>
public sealed record AgentDiscoveryReport(IReadOnlyList<string> Macs, HardwareDetails? Inventory = null, string? BmcAddress = null);

/// <summary>The discovered machine's ID, and how often to report again so that it does not expire.</summary>
public sealed record AgentDiscoveryResponse(string Id, int ReportSeconds);

/// <summary>A heartbeat, with the progress of the command the agent is running (none when idle).</summary>
public sealed record AgentHeartbeat(long? CommandId = null, long? BytesWritten = null, long? BytesTotal = null);

/// <summary>The answer to a heartbeat: a command to start, or null to keep going.</summary>
public sealed record AgentHeartbeatResponse(AgentCommand? Command, int HeartbeatSeconds);

/// <summary>One command; <see cref="Deploy"/> is set for <c>deploy</c> only.</summary>
public sealed record AgentCommand(long Id, string Kind, DeployArguments? Deploy = null);

public static class AgentCommandKinds
{
    public const string Inspect = "inspect";
    public const string Erase = "erase";
    public const string Deploy = "deploy";
    public const string Reboot = "reboot";
    public const string PowerOff = "poweroff";
}

/// <summary>What <c>deploy</c> writes: the image to the root device chosen by the hints, then the config drive.</summary>
public sealed record DeployArguments(ImageSpec Image, RootDeviceHints? RootDeviceHints, ConfigDriveContent? ConfigDrive);

/// <summary>cloud-init's inputs, as the host's spec has them; null when the host has none of them.</summary>
public sealed record ConfigDriveContent(string HostName, string? UserData, string? NetworkData, string? MetaData);

/// <summary>How a command ended; <see cref="Hardware"/> is the inventory of <c>inspect</c>.</summary>
public sealed record AgentCommandResult(bool Succeeded, string? Message = null, HardwareDetails? Hardware = null);

/// <summary>Compile-time JSON code for the protocol: the agent is trimmed, so it cannot rely on reflection.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentLookupRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentLookupResponse))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentHeartbeat))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentHeartbeatResponse))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentCommand))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentCommandResult))]
[System.Text.Json.Serialization.JsonSerializable(typeof(DeployArguments))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentDiscoveryReport))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AgentDiscoveryResponse))]
public sealed partial class AgentJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
