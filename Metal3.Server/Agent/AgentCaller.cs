using Metal3.Contracts.Agent;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Agent;

/// <summary>A host as its agent token sees it.</summary>
public sealed record AgentCaller(Guid HostId, string HostName, ProvisioningState State);
