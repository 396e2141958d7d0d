using System.Collections.Concurrent;

namespace Metal3.Data;

/// <summary>
/// SQLite has one writer at a time. Left to itself, a second writer gets SQLITE_BUSY and Microsoft.Data.Sqlite sleeps
/// and retries, which with 20 job workers and the API writing at once costs far more than waiting in line (1,000 fake
/// hosts provisioned in 18 s instead of 45 s). So the store's writes of this process to one database file take turns
/// here, each in a try/finally of its own. PostgreSQL needs no such line: <see cref="For"/> gives a gate that never waits.
/// </summary>
public sealed class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> ByDatabase = new();
    private readonly SemaphoreSlim? _gate;

    private SqliteWriteGate(bool serialize) => _gate = serialize ? new SemaphoreSlim(1, 1) : null;

    /// <summary>No waiting: for databases that take concurrent writers.</summary>
    public static readonly SqliteWriteGate Open = new(serialize: false);

    /// <summary>One gate per SQLite database file, shared by every context on it.</summary>
    public static SqliteWriteGate For(DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Sqlite
            ? ByDatabase.GetOrAdd(options.ConnectionString ?? "", _ => new SqliteWriteGate(serialize: true))
            : Open;

    public async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        if (_gate is null)
        {
            return await write();
        }
        await _gate.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            _gate.Release();
        }
    }
}
