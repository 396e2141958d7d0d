using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// Saves a context's tracked changes if nobody wrote the rows since they were read (their concurrency tokens), as one
/// transaction; a stale row or a unique name taken is an outcome, not an exception. Claims and host sets save this way,
/// often together (a set's pass writes the set and the claims it creates and deletes).
/// </summary>
internal static class ConditionalSave
{
    public static async Task<WriteOutcome> SaveAsync(Metal3DbContext db, SqliteWriteGate writes, CancellationToken ct)
    {
        try
        {
            await writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
            return WriteOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return WriteOutcome.StaleVersion;
        }
        catch (DbUpdateException e) when (UniqueViolations.Is(e))
        {
            db.ChangeTracker.Clear();
            return WriteOutcome.NameTaken;
        }
    }
}
