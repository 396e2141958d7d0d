using Metal3.Core.Hosts;
using Metal3.Core.Json;

namespace Metal3.Data.Entities;

/// <summary>Between a <see cref="Host"/> and the rows that store it. Times are stored as UTC <see cref="DateTime"/>s.</summary>
public static class HostRows
{
    public static Host ToHost(this HostRecord r) => Host.Restore(
        id: r.Id,
        name: r.Name,
        createdAt: Utc(r.CreatedAt),
        resourceVersion: r.ResourceVersion,
        spec: r.Spec,
        protectedBmcPassword: r.BmcPasswordProtected,
        status: r.Status,
        operation: r.Operation,
        deletionRequestedAt: Utc(r.DeletionRequestedAt),
        rebootRequestedAt: Utc(r.RebootRequestedAt),
        inspectRequestedAt: Utc(r.InspectRequestedAt),
        detached: r.Detached);

    internal static HostRecord NewRecord(Host host) => new()
    {
        Id = host.Id,
        Name = host.Name,
        CreatedAt = host.CreatedAt.UtcDateTime,
        Spec = host.Spec,
        Status = host.Status,
    };

    /// <summary>Writes what the host's methods may change to its row; the columns queries filter on follow.</summary>
    internal static void CopyTo(Host host, HostRecord r)
    {
        r.Spec = host.Spec;
        r.BootMacAddress = host.Spec.BootMacAddress;
        r.ConsumerRef = host.Spec.ConsumerRef;
        r.BmcPasswordProtected = host.ProtectedBmcPassword;
        r.Status = host.Status;
        r.State = host.State;
        r.OperationalStatus = host.Status.OperationalStatus;
        r.Operation = host.Operation;
        r.DeletionRequestedAt = host.DeletionRequestedAt?.UtcDateTime;
        r.RebootRequestedAt = host.RebootRequestedAt?.UtcDateTime;
        r.InspectRequestedAt = host.InspectRequestedAt?.UtcDateTime;
        r.Detached = host.Detached;
    }

    /// <summary>The host's new events as history rows; <paramref name="actor"/> is the daemon for reconciler events.</summary>
    internal static List<HostEventRecord> EventRows(Host host, DateTime now, string? actor) =>
        host.NewEvents.Select(e => new HostEventRecord
        {
            HostId = host.Id,
            HostName = host.Name,
            Time = now,
            Type = e.Warning ? HostEventTypes.Warning : HostEventTypes.Normal,
            Reason = e.Reason,
            Message = e.Message.Length > 4000 ? e.Message[..4000] : e.Message,
            FromState = e.From is { } from ? WireName.Of(from) : null,
            ToState = e.To is { } to ? WireName.Of(to) : null,
            Actor = actor,
        }).ToList();

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;
}
