using Metal3.Core.Provisioning;
using Metal3.Core.Json;
using Metal3.Data.Entities;

namespace Metal3.Server.Jobs;

/// <summary>Between the database row and the state machine's view of a host.</summary>
internal static class HostSnapshots
{
    public static HostSnapshot From(HostRecord r, DateTimeOffset now) => new()
    {
        Id = r.Id,
        Name = r.Name,
        Spec = r.Spec,
        Status = r.Status,
        Operation = r.Operation,
        Detached = r.Detached,
        DeletionRequested = r.DeletionRequestedAt is not null,
        RebootRequestedAt = Utc(r.RebootRequestedAt),
        InspectRequestedAt = Utc(r.InspectRequestedAt),
        Now = now,
    };

    /// <summary>Writes what the step changed back to the row; false when nothing but the timestamp changed.</summary>
    public static bool CopyBack(HostSnapshot s, HostRecord r)
    {
        bool changed = s.Status with { LastUpdated = r.Status.LastUpdated } != r.Status
            || s.Operation != r.Operation
            || Utc(r.RebootRequestedAt) != s.RebootRequestedAt
            || Utc(r.InspectRequestedAt) != s.InspectRequestedAt;
        if (!changed)
        {
            return false;
        }
        r.Status = s.Status;
        r.State = s.Status.Provisioning.State;
        r.OperationalStatus = s.Status.OperationalStatus;
        r.Operation = s.Operation;
        r.RebootRequestedAt = s.RebootRequestedAt?.UtcDateTime;
        r.InspectRequestedAt = s.InspectRequestedAt?.UtcDateTime;
        return true;
    }

    public static List<HostEventRecord> EventRows(HostRecord r, HostSnapshot s, DateTime now, string actor) =>
        s.Events.Select(e => new HostEventRecord
        {
            HostId = r.Id,
            HostName = r.Name,
            Time = now,
            Type = e.Warning ? HostEventTypes.Warning : HostEventTypes.Normal,
            Reason = e.Reason,
            Message = e.Message.Length > 4000 ? e.Message[..4000] : e.Message,
            FromState = e.From is { } from ? WireNames<ProvisioningState>.NameOf(from) : null,
            ToState = e.To is { } to ? WireNames<ProvisioningState>.NameOf(to) : null,
            Actor = actor,
        }).ToList();

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
