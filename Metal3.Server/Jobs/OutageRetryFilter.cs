using Hangfire.States;
using Metal3.Data.Outages;

namespace Metal3.Server.Jobs;

/// <summary>
/// A job that Hangfire itself could not carry through because the database was away (its state lock, its move to
/// Processing) would otherwise end Failed and stay there. It is not the job's failure: it is scheduled again a few
/// seconds on. Harmless to run twice, as every job here is (Hangfire's elect-state filter, as its retry attribute is).
/// </summary>
public sealed class OutageRetryFilter : IElectStateFilter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState failed && DatabaseFaults.IsOutage(failed.Exception))
        {
            context.CandidateState = new ScheduledState(RetryAfter) { Reason = "the database was away; tried again" };
        }
    }
}
