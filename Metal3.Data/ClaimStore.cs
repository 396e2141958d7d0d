using Metal3.Core.Claims;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// Claim queries and the claim's side of every write. Each change bumps <see cref="ClaimRecord.ResourceVersion"/> and is
/// saved only if nobody wrote the claim since it was read. A change that also touches the claim's host (bind, release)
/// is saved with the host by <see cref="HostStore.SaveForClaimAsync"/>, in the same transaction.
/// </summary>
public sealed class ClaimStore(Metal3DbContext db, SqliteWriteGate writes, TimeProvider? time = null)
{
    private DateTime UtcNow => (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    public Task<ClaimRecord?> FindReadOnlyAsync(string name, CancellationToken ct) =>
        db.Claims.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, ct);

    /// <summary>A claim to change in this context (tracked).</summary>
    public Task<ClaimRecord?> FindAsync(Guid id, CancellationToken ct) => db.Claims.FirstOrDefaultAsync(c => c.Id == id, ct);

    public Task<ClaimRecord?> FindAsync(string name, CancellationToken ct) => db.Claims.FirstOrDefaultAsync(c => c.Name == name, ct);

    /// <summary>
    /// Saves a new claim, Pending, at version 1, its event by <paramref name="actor"/> (the API caller).
    /// <see cref="WriteOutcome.NameTaken"/> when the name is.
    /// </summary>
    public async Task<(WriteOutcome Outcome, ClaimRecord Claim)> AddAsync(Guid id, string name, ClaimSpec spec, string? actor, CancellationToken ct)
    {
        var claim = Stage(id, name, spec, owner: null, actor);
        return (await SaveChangesAsync(ct), claim);
    }

    /// <summary>
    /// A new claim, Pending, at version 1, to be saved with the other changes of this context; made by a host set when
    /// <paramref name="owner"/> is given.
    /// </summary>
    public ClaimRecord Stage(Guid id, string name, ClaimSpec spec, ClaimOwner? owner, string? actor)
    {
        var claim = new ClaimRecord
        {
            Id = id,
            Name = name,
            CreatedAt = UtcNow,
            ResourceVersion = 1,
            Spec = spec,
            Phase = ClaimPhase.Pending,
            Message = "waiting for a free host that matches",
            Labels = spec.Labels.Select(kv => new ClaimLabel { ClaimId = id, Key = kv.Key, Value = kv.Value }).ToList(),
            HostSetId = owner?.HostSetId,
            HostSetName = owner?.HostSetName,
            TemplateHash = owner?.TemplateHash,
        };
        db.Claims.Add(claim);
        string created = owner is null ? "claim created" : $"claim created by host set {owner.HostSetName}";
        Record(claim, "Created", spec.Image is null ? created : $"{created} to provision {spec.Image.Url}", actor);
        return claim;
    }

    /// <summary>A page of claims by name, filtered by their labels; the last name when there is a next page.</summary>
    public async Task<(List<ClaimRecord> Items, string? LastName)> ListAsync(
        IReadOnlyList<LabelRequirement> selector, int limit, string? afterName, CancellationToken ct)
    {
        IQueryable<ClaimRecord> q = db.Claims.AsNoTracking();
        foreach (var req in selector)
        {
            q = (req.Value, req.Negated) switch
            {
                (null, false) => q.Where(c => c.Labels.Any(l => l.Key == req.Key)),
                (null, true) => q.Where(c => !c.Labels.Any(l => l.Key == req.Key)),
                (_, false) => q.Where(c => c.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
                (_, true) => q.Where(c => !c.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
            };
        }
        if (afterName is not null)
        {
            q = q.Where(c => string.Compare(c.Name, afterName) > 0);
        }
        // One more than asked tells whether a next page exists without a COUNT.
        var rows = await q.OrderBy(c => c.Name).Take(limit + 1).ToListAsync(ct);
        string? last = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            last = rows[^1].Name;
        }
        return (rows, last);
    }

    public Task<List<ClaimEventRecord>> EventsAsync(Guid claimId, long afterId, int limit, CancellationToken ct) =>
        db.ClaimEvents.AsNoTracking()
            .Where(e => e.ClaimId == claimId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>Pending claims in the order they bind: oldest first (by creation time, then name).</summary>
    public Task<List<ClaimRecord>> PendingAsync(int limit, CancellationToken ct) =>
        db.Claims.AsNoTracking()
            .Where(c => c.Phase == ClaimPhase.Pending)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Name)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>Claims in <paramref name="phases"/>, oldest first.</summary>
    public Task<List<ClaimRecord>> InPhasesAsync(IReadOnlyCollection<ClaimPhase> phases, int limit, CancellationToken ct) =>
        db.Claims.AsNoTracking()
            .Where(c => phases.Contains(c.Phase))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Name)
            .Take(limit)
            .ToListAsync(ct);

    /// <summary>
    /// DELETE by <paramref name="actor"/> (an API caller, or the daemon for a host set, which says <paramref name="why"/>):
    /// the claim is Releasing from now on. False when it was already.
    /// </summary>
    public bool RequestDeletion(ClaimRecord claim, string? actor, string? why = null)
    {
        if (claim.DeletionRequestedAt is not null)
        {
            return false;
        }
        claim.DeletionRequestedAt = UtcNow;
        Change(claim, ClaimPhase.Releasing, claim.HostId is null ? "released; nothing to free" : $"releasing host {claim.HostName}");
        Record(claim, "DeletionRequested",
            (why is null ? "deletion requested" : $"deletion requested ({why})") + ": deprovision and free the host, then remove the claim", actor);
        return true;
    }

    /// <summary>The claim holds <paramref name="hostName"/> from now on (to be saved with the host, whose consumerRef says so).</summary>
    public void Bind(ClaimRecord claim, Guid hostId, string hostName, string actor)
    {
        Expect(claim, ClaimPhase.Pending);
        claim.HostId = hostId;
        claim.HostName = hostName;
        Change(claim, ClaimPhase.Bound, claim.Spec.Image is null ? $"bound to host {hostName}" : $"bound to host {hostName}; provisioning");
        Record(claim, "Bound", $"bound to host {hostName}", actor, hostName);
    }

    public void MarkProvisioned(ClaimRecord claim, string actor)
    {
        Expect(claim, ClaimPhase.Bound);
        Change(claim, ClaimPhase.Provisioned, $"host {claim.HostName} is provisioned");
        Record(claim, "Provisioned", $"host {claim.HostName} is provisioned with {claim.Spec.Image?.Url}", actor, claim.HostName);
    }

    /// <summary>The host was lost (deleted, or its consumerRef changed by hand): wait for another one.</summary>
    public void Unbind(ClaimRecord claim, string why, string actor)
    {
        if (claim.Phase is not (ClaimPhase.Bound or ClaimPhase.Provisioned))
        {
            throw new InvalidOperationException($"claim '{claim.Name}' is {claim.Phase}, not bound");
        }
        string? host = claim.HostName;
        claim.HostId = null;
        claim.HostName = null;
        Change(claim, ClaimPhase.Pending, $"{why}; waiting for a free host that matches");
        Record(claim, "HostLost", why, actor, host, HostEventTypes.Warning);
    }

    /// <summary>While releasing: says what the claim waits for.</summary>
    public void Note(ClaimRecord claim, string message)
    {
        if (claim.Message != message)
        {
            Change(claim, claim.Phase, message);
        }
    }

    /// <summary>The claim's host is free (or gone): the claim goes, its events stay.</summary>
    public void Remove(ClaimRecord claim, string message, string actor)
    {
        Expect(claim, ClaimPhase.Releasing);
        Record(claim, "Released", message, actor, claim.HostName);
        db.Claims.Remove(claim);
    }

    /// <summary>Saves the tracked changes of this context, if nobody wrote the claims (or sets) since they were read.</summary>
    public Task<WriteOutcome> SaveChangesAsync(CancellationToken ct) => ConditionalSave.SaveAsync(db, writes, ct);

    private static void Expect(ClaimRecord claim, ClaimPhase phase)
    {
        if (claim.Phase != phase)
        {
            throw new InvalidOperationException($"claim '{claim.Name}' is {claim.Phase}, not {phase}");
        }
    }

    private static void Change(ClaimRecord claim, ClaimPhase phase, string message)
    {
        claim.Phase = phase;
        claim.Message = message.Length > 1024 ? message[..1024] : message;
        claim.ResourceVersion++;
    }

    private void Record(ClaimRecord claim, string reason, string message, string? actor, string? hostName = null,
        string type = HostEventTypes.Normal) =>
        db.ClaimEvents.Add(new ClaimEventRecord
        {
            ClaimId = claim.Id,
            ClaimName = claim.Name,
            Time = UtcNow,
            Type = type,
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            HostName = hostName,
            Actor = actor,
        });
}
