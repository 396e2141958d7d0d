using Metal3.Core.Hosts;
using Metal3.Data;

namespace Metal3.Server.Api;

/// <summary>POST /hosts/{name}/actions/{reboot|inspect|detach|attach}: recorded on the host for the reconciler.</summary>
public static class HostActions
{
    private static readonly Dictionary<string, HostAction> ByName = new()
    {
        ["reboot"] = HostAction.Reboot,
        ["inspect"] = HostAction.Inspect,
        ["detach"] = HostAction.Detach,
        ["attach"] = HostAction.Attach,
    };

    public static readonly IReadOnlyList<string> Names = [.. ByName.Keys];

    public static async Task<IResult> RequestAsync(string name, string action, HostServices s, CancellationToken ct)
    {
        if (!ByName.TryGetValue(action, out var requested))
        {
            return Problems.NotFound($"no action '{action}'; actions are {string.Join(", ", Names)}");
        }
        var update = await s.Store.UpdateAsync<IResult>(name, host =>
        {
            if (host.IsBeingDeleted)
            {
                return Task.FromResult(HostDecision<IResult>.Refuse(Problems.Conflict($"host '{name}' is being deleted")));
            }
            var now = s.Now;
            host.Request(requested, now);
            return Task.FromResult(HostDecision<IResult>.Save(s.SafetyNetFrom(now)));
        }, s.Actor, ct);
        return update switch
        {
            { Outcome: WriteOutcome.NotFound } => Problems.NotFound($"no host named '{name}'"),
            { Refusal: { } refused } => refused,
            { Outcome: WriteOutcome.Saved, Host: { } host } => HostWrites.AcceptedAfter(update.Outcome, host, s),
            _ => Problems.Conflict("the host kept changing while the action was recorded; try again"),
        };
    }
}
