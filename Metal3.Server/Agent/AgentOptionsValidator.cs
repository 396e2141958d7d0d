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
        .Result;
}
