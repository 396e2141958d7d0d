using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

/// <summary>
/// Saves a context's tracked changes if nobody wrote the rows since they were read (their concurrency tokens), as one
/// transaction; a stale row or a unique name taken is an outcome, not an exception. Claims and host sets save this way.
/// </summary>
internal static class ConditionalSave
{
    /// <summary>Any unique violation is a name taken.</summary>
    public static Task<WriteOutcome> SaveAsync(Metal3DbContext db, SqliteWriteGate writes, CancellationToken ct) =>
        SaveAsync(db, writes, e => IsUniqueViolation(e) ? WriteOutcome.NameTaken : null, ct);

    /// <param name="uniqueViolation">What a failed save means, when it is a unique violation this caller tells apart; null
    /// for any other failure, which is thrown.</param>
    public static async Task<WriteOutcome> SaveAsync(
        Metal3DbContext db, SqliteWriteGate writes, Func<DbUpdateException, WriteOutcome?> uniqueViolation, CancellationToken ct)
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
        catch (DbUpdateException e) when (uniqueViolation(e) is { } outcome)
        {
            db.ChangeTracker.Clear();
            return outcome;
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqliteException { SqliteErrorCode: 19 } sqlite => sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };
}
