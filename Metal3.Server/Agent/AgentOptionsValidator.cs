using Metal3.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Agent;

public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options) => new SettingChecks(AgentOptions.Section)
        .Positive(nameof(options.BootTimeout), options.BootTimeout)
        .Positive(nameof(options.HeartbeatTimeout), options.HeartbeatTimeout)
        .Positive(nameof(options.HeartbeatInterval), options.HeartbeatInterval)
        .AtLeastOne(nameof(options.LookupsPerMinute), options.LookupsPerMinute)
        .Positive(nameof(options.DiscoveryTtl), options.DiscoveryTtl)
        .Positive(nameof(options.DiscoveryReportInterval), options.DiscoveryReportInterval)
        .AtLeastOne(nameof(options.DiscoveryMaxMachines), options.DiscoveryMaxMachines)
        .AtLeastOne(nameof(options.DiscoveryMaxInventoryBytes), options.DiscoveryMaxInventoryBytes)
        .Result;
}
