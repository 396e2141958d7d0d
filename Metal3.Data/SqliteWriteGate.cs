using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Metal3.Data;

/// <summary>
/// SQLite has one writer at a time. Left to itself, a second writer gets SQLITE_BUSY and Microsoft.Data.Sqlite sleeps
/// and retries, which with 20 job workers and the API writing at once costs far more than waiting in line. So every
/// write of this process to one database file takes this gate first: SaveChanges for its whole transaction, and the
/// single-statement ExecuteUpdate/ExecuteDelete writes (leases, sweep claims). Readers never wait (WAL).
/// </summary>
public sealed class SqliteWriteGate : SaveChangesInterceptor, IDbCommandInterceptor
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> ByDatabase = new();
    private readonly SemaphoreSlim gate = new(1, 1);

    private SqliteWriteGate()
    {
    }

    /// <summary>One gate per database file: two contexts on one file share it.</summary>
    public static SqliteWriteGate For(string connectionString) => ByDatabase.GetOrAdd(connectionString, _ => new SqliteWriteGate());

    private enum Holder : byte { SaveChanges, Statement }

    private readonly ConcurrentDictionary<DbContext, Holder> holders = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(eventData.Context, Holder.SaveChanges, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        EnterAsync(eventData.Context, Holder.SaveChanges, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context, Holder.SaveChanges);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Leave(eventData.Context, Holder.SaveChanges);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context, Holder.SaveChanges);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Leave(eventData.Context, Holder.SaveChanges);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context, Holder.SaveChanges);
        return Task.CompletedTask;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(eventData.Context, Holder.Statement, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterAsync(eventData.Context, Holder.Statement, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context, Holder.Statement);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Leave(eventData.Context, Holder.Statement);
        return result;
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context, Holder.Statement);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Leave(eventData.Context, Holder.Statement);

    /// <summary>Takes the gate unless this context holds it already (a statement inside its own SaveChanges).</summary>
    private async Task EnterAsync(DbContext? context, Holder kind, CancellationToken ct)
    {
        if (context is null || holders.ContainsKey(context))
        {
            return;
        }
        await gate.WaitAsync(ct);
        holders[context] = kind;
    }

    /// <summary>Gives the gate back if this context took it for <paramref name="kind"/>.</summary>
    private void Leave(DbContext? context, Holder kind)
    {
        if (context is not null && holders.TryGetValue(context, out var held) && held == kind && holders.TryRemove(context, out _))
        {
            gate.Release();
        }
    }
}
