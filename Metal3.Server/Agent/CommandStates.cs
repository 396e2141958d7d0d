using Metal3.Contracts.Agent;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Agent;

/// <summary>pending (not fetched yet), running, succeeded, failed: the life of one agent command in agent_sessions.</summary>
public static class CommandStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
