using System.Net.Sockets;
using Metal3.Data.Outages;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Metal3.Data.Tests.Outages;

/// <summary>What counts as "the database is away" (503 and wait) and what is a real error (500 and a stack trace).</summary>
public class DatabaseFaultsTests
{
    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "connection refused, as Npgsql reports it", new NpgsqlException("Failed to connect", new SocketException(111)), true },
        { "wrapped by EF's execution strategy", new InvalidOperationException("likely transient", new NpgsqlException("Failed to connect", new SocketException(111))), true },
        { "server shut down under a query (57P01)", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01"), true },
        { "server starting up (57P03)", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { "too many connections (53300)", new PostgresException("too many clients", "FATAL", "FATAL", "53300"), true },
        { "unique violation (23505): the request's fault", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "syntax error (42601): ours", new PostgresException("syntax error", "ERROR", "ERROR", "42601"), false },
        { "SQLite busy past the timeout", new SqliteException("database is locked", 5), true },
        { "SQLite disk full", new SqliteException("database or disk is full", 13), true },
        { "SQLite constraint", new SqliteException("UNIQUE constraint failed", 19), false },
        { "a bug", new NullReferenceException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Outages_are_told_apart_from_errors(string what, Exception e, bool outage) =>
        Assert.True(DatabaseFaults.IsOutage(e) == outage, $"{what}: expected IsOutage = {outage}");
}
