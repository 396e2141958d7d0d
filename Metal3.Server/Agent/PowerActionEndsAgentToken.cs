using Metal3.Core.Bmc;

namespace Metal3.Server.Agent;

/// <summary>
/// Around the reconciler's BMC calls for one host: every power change ends the host's agent token, as Ironic wipes its
/// agent token on a power action. The ramdisk that held the token does not survive the power action, so whatever asks
/// with it afterwards is not that agent; the ramdisk that boots next looks up and gets its own. The token ends after the
/// call, so that one issued while the call was under way ends too; it ends whatever the BMC answered, since a call that
/// timed out may still have reset the host.
/// </summary>
public sealed class PowerActionEndsAgentToken(Guid hostId, AgentSessionStore sessions) : IBmcCallFilter
{
    public async Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        if (call.Capability != BmcCapabilities.Power || !call.Changes)
        {
            return await next();
        }
        try
        {
            return await next();
        }
        finally
        {
            // Not the step's token: a step cancelled mid-call must still not leave the old token working.
            await sessions.EndTokenAsync(hostId, CancellationToken.None);
        }
    }
}
