using Metal3.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Watch;

public sealed class WatchOptionsValidator : IValidateOptions<WatchOptions>
{
    /// <summary>A retention and a gap timeout of zero are allowed: no resume window, no waiting behind a missing id.</summary>
    public ValidateOptionsResult Validate(string? name, WatchOptions options) => new SettingChecks(WatchOptions.Section)
        .Positive(nameof(options.PollInterval), options.PollInterval)
        .NotNegative(nameof(options.GapTimeout), options.GapTimeout)
        .NotNegative(nameof(options.Retention), options.Retention)
        .Positive(nameof(options.PruneInterval), options.PruneInterval)
        .Positive(nameof(options.KeepAlive), options.KeepAlive)
        .AtLeastOne(nameof(options.WatcherBuffer), options.WatcherBuffer)
        .Result;
}
