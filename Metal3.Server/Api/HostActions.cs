using Metal3.Data;
using Metal3.Data.Entities;

namespace Metal3.Server.Api;

/// <summary>POST /hosts/{name}/actions/{reboot|inspect|detach|attach}: recorded on the host for the reconciler.</summary>
public static class HostActions
{
    public static readonly IReadOnlyList<string> Names = ["reboot", "inspect", "detach", "attach"];

    public static async Task<IResult> RequestAsync(string name, string action, HostServices s, CancellationToken ct)
    {
        if (!Names.Contains(action))
        {
            return Problems.NotFound($"no action '{action}'; actions are {string.Join(", ", Names)}");
        }
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var host = await s.Store.FindAsync(name, ct);
            if (host is null)
            {
                return Problems.NotFound($"no host named '{name}'");
            }
            if (host.DeletionRequestedAt is not null)
            {
                return Problems.Conflict($"host '{name}' is being deleted");
            }
            var now = s.UtcNow;
            string message = Apply(host, action, now);
            host.NextReconcileAt = s.SafetyNetFrom(now);
            var requested = HostEventRecord.For(host, now, ReasonOf(action), message);
            if (await s.Store.UpdateAsync(host, [requested], ct) == WriteOutcome.Saved)
            {
                s.Reconcile(host.Id);
                return new ResultWithETag(TypedResults.Accepted($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion);
            }
        }
        return Problems.Conflict("the host kept changing while the action was recorded; try again");
    }

    private static string Apply(HostRecord host, string action, DateTime now)
    {
        switch (action)
        {
            case "reboot":
                host.RebootRequestedAt = now;
                return "reboot requested";
            case "inspect":
                host.InspectRequestedAt = now;
                return "inspection requested";
            case "detach":
                host.Detached = true;
                return "detach requested: the daemon stops managing the host";
            default:
                host.Detached = false;
                return "attach requested: the daemon manages the host again";
        }
    }

    private static string ReasonOf(string action) => action switch
    {
        "reboot" => "RebootRequested",
        "inspect" => "InspectionRequested",
        "detach" => "DetachRequested",
        _ => "AttachRequested",
    };
}
