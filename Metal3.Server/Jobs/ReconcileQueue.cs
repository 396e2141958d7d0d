using Hangfire;

namespace Metal3.Server.Jobs;

/// <summary>Asks for a host to be reconciled now. Losing such a request is harmless: the sweep finds the host later.</summary>
public interface IReconcileQueue
{
    void Enqueue(Guid hostId);
}

public sealed class HangfireReconcileQueue(IBackgroundJobClient jobs) : IReconcileQueue
{
    // CancellationToken.None is replaced by Hangfire with the server's shutdown token when the job runs.
    public void Enqueue(Guid hostId) => jobs.Enqueue<ReconcileHostJob>(job => job.RunAsync(hostId, CancellationToken.None));
}
