using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>Starts an agent command once and polls it until it ends; shared by inspect, clean and deploy.</summary>
internal static class AgentWork
{
    /// <summary>The progress of <paramref name="kind"/>, starting it when nothing of that kind is under way.</summary>
    public static async Task<AgentProgress> RunAsync(StepContext c, OperationKind kind, ImageSpec? image = null)
    {
        var host = c.Host;
        AgentProgress progress;
        if (host.Operation is { } op && op.Kind == kind && op.Image == image)
        {
            progress = await c.Agent.PollAsync(host, op, c.Cancellation);
        }
        else
        {
            var started = new HostOperation(kind, host.Now, image);
            progress = await c.Agent.StartAsync(host, started, c.Bmc, c.Cancellation);
            if (progress is AgentProgress.Running)
            {
                host.Operation = started;
                host.Record("AgentCommandStarted", $"{kind.ToString().ToLowerInvariant()} started");
            }
        }
        if (progress is not AgentProgress.Running)
        {
            host.Operation = null;
        }
        return progress;
    }
}
