using Metal3.Core.Claims;
using Metal3.Core.HostSets;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// Host set queries and the set's side of every write. A user's change bumps <see cref="HostSetRecord.ResourceVersion"/>,
/// a change of the set's claims <see cref="HostSetRecord.ClaimsRevision"/>; either saves only if the set was not written
/// since it was read. The claims themselves are written by <see cref="ClaimStore"/> on the same context, in the same
/// transaction.
/// </summary>
public sealed class HostSetStore(Metal3DbContext db, SqliteWriteGate writes, TimeProvider? time = null)
{
    /// <summary>Sets read per query while a filtered list looks for a page's worth.</summary>
    private const int ScanBatch = 500;

    private DateTime UtcNow => (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    public Task<HostSetRecord?> FindReadOnlyAsync(string name, CancellationToken ct) =>
        db.HostSets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);

    /// <summary>A set to change in this context (tracked).</summary>
    public Task<HostSetRecord?> FindAsync(string name, CancellationToken ct) => db.HostSets.FirstOrDefaultAsync(s => s.Name == name, ct);

    public Task<HostSetRecord?> FindAsync(Guid id, CancellationToken ct) => db.HostSets.FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Saves a new set at version 1. <see cref="WriteOutcome.NameTaken"/> when the name is.</summary>
    public async Task<(WriteOutcome Outcome, HostSetRecord Set)> AddAsync(Guid id, string name, HostSetSpec spec, string? actor, CancellationToken ct)
    {
        var set = new HostSetRecord
        {
            Id = id,
            Name = name,
            CreatedAt = UtcNow,
            ResourceVersion = 1,
            Spec = spec,
            TemplateHash = spec.Template.Hash(),
        };
        db.HostSets.Add(set);
        Record(set, "Created", $"host set created: {spec.Replicas} replicas of {spec.Template.Image.Url}", actor);
        return (await SaveChangesAsync(ct), set);
    }

    /// <summary>
    /// A page of sets by name whose template labels (the labels their claims carry) match; the last name when there is a
    /// next page. Sets are few, so the labels are matched in memory, a batch at a time.
    /// </summary>
    public async Task<(List<HostSetRecord> Items, string? LastName)> ListAsync(
        IReadOnlyList<LabelRequirement> selector, int limit, string? afterName, CancellationToken ct)
    {
        var page = new List<HostSetRecord>();
        string? after = afterName;
        while (page.Count <= limit)
        {
            IQueryable<HostSetRecord> q = db.HostSets.AsNoTracking();
            if (after is not null)
            {
                q = q.Where(s => string.Compare(s.Name, after) > 0);
            }
            var batch = await q.OrderBy(s => s.Name).Take(ScanBatch).ToListAsync(ct);
            page.AddRange(batch.Where(s => LabelSelection.Matches(s.Spec.Template.Labels, selector)));
            if (batch.Count < ScanBatch)
            {
                break;
            }
            after = batch[^1].Name;
        }
        // One more than asked tells whether a next page exists.
        if (page.Count <= limit)
        {
            return (page, null);
        }
        page.RemoveRange(limit, page.Count - limit);
        return (page, page[^1].Name);
    }

    /// <summary>Every set's id, for the reconciler's pass.</summary>
    public Task<List<Guid>> IdsAsync(CancellationToken ct) => db.HostSets.AsNoTracking().OrderBy(s => s.Name).Select(s => s.Id).ToListAsync(ct);

    /// <summary>The set's claims, tracked, so the set's pass can delete some in this context.</summary>
    public Task<List<ClaimRecord>> ClaimsOfAsync(Guid setId, CancellationToken ct) =>
        db.Claims.Where(c => c.HostSetId == setId).ToListAsync(ct);

    /// <summary>The status counts of <paramref name="sets"/>, counted from their claims in one query.</summary>
    public async Task<Dictionary<Guid, HostSetCounts>> CountsAsync(IReadOnlyCollection<HostSetRecord> sets, CancellationToken ct)
    {
        var ids = sets.Select(s => s.Id).ToList();
        var groups = await db.Claims.AsNoTracking()
            .Where(c => c.HostSetId != null && ids.Contains(c.HostSetId.Value) && c.Phase != ClaimPhase.Releasing)
            .GroupBy(c => new { c.HostSetId, c.Phase, c.TemplateHash })
            .Select(g => new { g.Key.HostSetId, g.Key.Phase, g.Key.TemplateHash, Count = g.Count() })
            .ToListAsync(ct);
        return sets.ToDictionary(s => s.Id, s =>
        {
            var mine = groups.Where(g => g.HostSetId == s.Id).ToList();
            return new HostSetCounts(
                mine.Sum(g => g.Count),
                mine.Where(g => g.Phase is ClaimPhase.Bound or ClaimPhase.Provisioned).Sum(g => g.Count),
                mine.Where(g => g.Phase == ClaimPhase.Provisioned).Sum(g => g.Count),
                mine.Where(g => g.TemplateHash == s.TemplateHash).Sum(g => g.Count));
        });
    }

    public Task<List<HostSetEventRecord>> EventsAsync(Guid setId, long afterId, int limit, CancellationToken ct) =>
        db.HostSetEvents.AsNoTracking()
            .Where(e => e.HostSetId == setId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>PATCH by <paramref name="actor"/>: the new replicas and template. False when they are the ones the set has.</summary>
    public bool Replace(HostSetRecord set, HostSetSpec spec, string? actor)
    {
        if (spec == set.Spec)
        {
            return false;
        }
        if (spec.Replicas != set.Spec.Replicas)
        {
            Record(set, "Scaled", $"replicas {set.Spec.Replicas} → {spec.Replicas}", actor);
        }
        string hash = spec.Template.Hash();
        if (hash != set.TemplateHash)
        {
            Record(set, "TemplateChanged", $"template changed ({set.TemplateHash} → {hash}), image {spec.Template.Image.Url}: claims are replaced one at a time", actor);
        }
        set.Spec = spec;
        set.TemplateHash = hash;
        set.ResourceVersion++;
        return true;
    }

    /// <summary>DELETE by <paramref name="actor"/>: the set deletes its claims from now on, and goes with the last one. False when it was already.</summary>
    public bool RequestDeletion(HostSetRecord set, string? actor)
    {
        if (set.DeletionRequestedAt is not null)
        {
            return false;
        }
        set.DeletionRequestedAt = UtcNow;
        set.ResourceVersion++;
        Record(set, "DeletionRequested", "deletion requested: its claims are deleted (their hosts cleaned and freed), then the set", actor);
        return true;
    }

    /// <summary>The set's pass created or deleted claims: saved only if nobody else changed the set or its claims meanwhile.</summary>
    public void ClaimsChanged(HostSetRecord set) => set.ClaimsRevision++;

    /// <summary>The last claim of a deleted set is gone: the set goes, its events stay.</summary>
    public void Remove(HostSetRecord set, string actor)
    {
        Record(set, "Deleted", "every claim released: host set removed", actor);
        db.HostSets.Remove(set);
    }

    public void Record(HostSetRecord set, string reason, string message, string? actor, string? claimName = null) =>
        db.HostSetEvents.Add(new HostSetEventRecord
        {
            HostSetId = set.Id,
            HostSetName = set.Name,
            Time = UtcNow,
            Type = HostEventTypes.Normal,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            ClaimName = claimName,
            Actor = actor,
        });

    /// <summary>Saves the tracked changes of this context if nobody wrote the rows since they were read.</summary>
    public Task<WriteOutcome> SaveChangesAsync(CancellationToken ct) => ConditionalSave.SaveAsync(db, writes, ct);
}
