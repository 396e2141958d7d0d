using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// Everything a state handler may change on a host, and nothing more: what the BMC and the deploy agent reported
/// (credentials, power, hardware, the disk), the work under way, the operator requests it carried out, and the events
/// it records. A member left null (or false, or empty) leaves that part of the host as it was. Handlers only build this;
/// <see cref="StateMachine.Apply"/> applies it, so a new thing a handler may change is a member here and a line there.
/// </summary>
public sealed record HostChanges
{
    /// <summary>Changes nothing.</summary>
    public static readonly HostChanges None = new();

    /// <summary>status.goodCredentials: whether the BMC accepted the credentials.</summary>
    public bool? GoodCredentials { get; init; }

    /// <summary>status.poweredOn: the power state the BMC reported.</summary>
    public bool? PoweredOn { get; init; }

    /// <summary>status.hardware: what inspection found (which may be nothing), or null when inspection is asked for again.</summary>
    public Change<HardwareDetails?>? Hardware { get; init; }

    /// <summary>status.provisioning: the image on the disk and the progress of writing it.</summary>
    public DiskChange? Disk { get; init; }

    /// <summary>The work under way: one started (a value), or none any more (null).</summary>
    public Change<HostOperation?>? Operation { get; init; }

    /// <summary>The operator's reboot request was carried out.</summary>
    public bool RebootRequestDone { get; init; }

    /// <summary>The operator's inspection request was taken up.</summary>
    public bool InspectRequestDone { get; init; }

    /// <summary>The handler's own events, in order. They come after the BMC calls of the step (<see cref="BmcTimeline"/>).</summary>
    public IReadOnlyList<HostEvent> Events { get; init; } = [];

    /// <summary>These changes and one more event.</summary>
    public HostChanges Record(string reason, string message, bool warning = false) =>
        this with { Events = [.. Events, new HostEvent(reason, message, warning)] };
}
