using Metal3.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Jobs;

public sealed class JobTimingsValidator : IValidateOptions<JobTimings>
{
    public ValidateOptionsResult Validate(string? name, JobTimings options) => new SettingChecks(JobTimings.Section)
        .Positive(nameof(options.Lease), options.Lease)
        .Positive(nameof(options.SweepInterval), options.SweepInterval)
        .Positive(nameof(options.SafetyNet), options.SafetyNet)
        .AtLeastOne(nameof(options.Workers), options.Workers)
        .Positive(nameof(options.PowerSyncInterval), options.PowerSyncInterval)
        .AtLeastOne(nameof(options.PowerSyncConcurrency), options.PowerSyncConcurrency)
        .Positive(nameof(options.BmcProbeAfter), options.BmcProbeAfter)
        .Result;
}
