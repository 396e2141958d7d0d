using System.Threading.Channels;
using Metal3.Core.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// Writes enrollments in groups, as <c>LeaseClaimBatcher</c> does lease claims: whatever enrollments arrive while one
/// group commits go together in the next, one transaction and one commit. A commit costs the database a disk flush,
/// so one per enrollment caps the API at the database's commit rate (measured: 62-92 enrollments/s with 16 clients
/// on PostgreSQL); grouped, the flush is shared. Each enrollment is still committed before its client is answered.
/// <para>
/// A group is all or nothing, so one taken name or MAC would fail the rest: a group that fails is written again one
/// enrollment at a time, which gives each its own outcome. Names and MACs repeated within a group wait for the next.
/// </para>
/// </summary>
public sealed class EnrollmentGroups(IDbContextFactory<Metal3DbContext> contexts, SqliteWriteGate writes, TimeProvider time)
    : IAsyncDisposable
{
    /// <summary>Beyond this many rows a group's own time starts to show in its clients' latency.</summary>
    private const int MaxGroup = 128;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;

    private sealed record Pending(Host Host, DateTimeOffset LookAgainAt)
    {
        public TaskCompletionSource<(WriteOutcome, Host)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// As <see cref="HostStore.AddAsync"/>. Not cancellable once queued: the enrollment is written (or refused) within a
    /// group's time, and a client that left meanwhile finds its host there.
    /// </summary>
    public Task<(WriteOutcome Outcome, Host Host)> AddAsync(Host host, DateTimeOffset lookAgainAt)
    {
        var pending = new Pending(host, lookAgainAt);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(EnrollmentGroups));
        }
        lock (_start)
        {
            _loop ??= Task.Run(RunAsync);
        }
        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var macs = new HashSet<string>(StringComparer.Ordinal);
        var later = new Queue<Pending>();
        while (later.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            for (int n = later.Count; n > 0; n--)
            {
                Add(later.Dequeue());
            }
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
            {
                Add(next);
            }
            await WriteAsync(group);
            group.Clear();
            names.Clear();
            macs.Clear();
        }

        void Add(Pending p)
        {
            string? mac = p.Host.Spec.BootMacAddress;
            if (group.Count < MaxGroup && !names.Contains(p.Host.Name) && (mac is null || !macs.Contains(mac)))
            {
                group.Add(p);
                names.Add(p.Host.Name);
                if (mac is not null)
                {
                    macs.Add(mac);
                }
            }
            else
            {
                later.Enqueue(p);
            }
        }
    }

    private async Task WriteAsync(List<Pending> group)
    {
        if (group.Count > 1)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync();
                var (outcome, saved) = await new HostStore(db, writes, time)
                    .AddAllAsync(group.Select(p => (p.Host, p.LookAgainAt)).ToList(), CancellationToken.None);
                if (outcome == WriteOutcome.Saved)
                {
                    for (int i = 0; i < group.Count; i++)
                    {
                        group[i].Done.TrySetResult((WriteOutcome.Saved, saved[i]));
                    }
                    return;
                }
            }
            catch (Exception)
            {
                // Whatever stopped the group (a conflict, an outage) is each enrollment's to meet on its own below.
            }
        }
        foreach (var one in group)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync();
                one.Done.TrySetResult(await new HostStore(db, writes, time).AddAsync(one.Host, one.LookAgainAt, CancellationToken.None));
            }
            catch (Exception e)
            {
                one.Done.TrySetException(e);
            }
        }
    }
}
