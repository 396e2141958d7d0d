using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Metal3.Data.Outages;

/// <summary>
/// Which exceptions mean "the database is away for now" rather than "this request or this code is wrong", for both
/// providers, in one place: the API answers the first kind with 503, the background loops wait and retry.
/// </summary>
public static class DatabaseFaults
{
    // SQLite result codes (https://sqlite.org/rescode.html): locked by another writer past the busy timeout, I/O error,
    // disk full, file cannot be opened. Each passes when the disk or the other writer does.
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteIoErr = 10, SqliteFull = 13, SqliteCantOpen = 14;

    /// <summary>True when <paramref name="e"/>, or an exception it wraps, says the database cannot be reached or used just now.</summary>
    public static bool IsOutage(Exception? e)
    {
        for (int depth = 0; e is not null && depth < 10; depth++, e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when IsTransientState(pg.SqlState):
                    return true;
                case NpgsqlException npgsql when npgsql is not PostgresException && npgsql.IsTransient:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteIoErr or SqliteFull or SqliteCantOpen:
                    return true;
                case SocketException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL error classes that say nothing about the statement (https://www.postgresql.org/docs/current/errcodes-appendix.html):
    /// 08 connection exception, 53 insufficient resources, 57P01-57P05 the server is shutting down, restarting or
    /// refusing connections, 58 system error (I/O).
    /// </summary>
    private static bool IsTransientState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal)
        || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57P", StringComparison.Ordinal)
        || state.StartsWith("58", StringComparison.Ordinal);
}
