using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

/// <summary>A save refused by a unique index, in either provider's words: the caller's "that name is taken".</summary>
public static class UniqueViolations
{
    public static bool Is(DbUpdateException e) => e.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqliteException { SqliteErrorCode: 19 } sqlite => sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };
}
