using System.Data;
using System.Threading.Channels;
using Metal3.Pxe.Dhcp;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data.Pxe;

/// <summary>
/// Writes lease claims to <c>dhcp_leases</c> in groups: whatever claims arrive while one group is being written go
/// together in the next, as one round trip and one commit. A rack powering on sends thousands of DISCOVERs and
/// REQUESTs a second; one commit each would cap the server at the database's commit rate (measured: 42 DORA/s against
/// PostgreSQL at 1,000/s offered), while each claim still needs to be durable before its reply goes out, so that a
/// restarted daemon never hands out an address a client was told it has.
/// <para>Each claim is the conditional upsert <c>INSERT … ON CONFLICT (address) DO UPDATE … WHERE expired OR same
/// client</c>, plus, when it won, deleting the client's other addresses; on PostgreSQL a group is one statement over
/// arrays, on SQLite one transaction. A group that fails as a whole (a deadlock with another daemon's group) is retried
/// one claim at a time.</para>
/// </summary>
internal sealed class LeaseClaimBatcher : IAsyncDisposable
{
    /// <summary>Beyond this many claims a group's own latency starts to show in the replies.</summary>
    private const int MaxGroup = 256;

    /// <summary>
    /// The whole group as one statement over arrays. Within a group every address and every client appears once (see
    /// <see cref="RunAsync"/>), so no row is touched twice; the DELETE reads the statement's starting snapshot, hence the
    /// exclusion of addresses the group itself just took. <c>= ANY($2)</c> lets the planner reach the rows through the
    /// client-key index.
    /// </summary>
    private const string PostgresClaims = """
        WITH req AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS r(a, k, m, s, u, n)),
        won AS (
            INSERT INTO dhcp_leases ("Address", "ClientKey", "MacAddress", "State", "ExpiresAt", "UpdatedAt")
            SELECT a, k, m, s, u, n FROM req
            ON CONFLICT ("Address") DO UPDATE SET "ClientKey" = excluded."ClientKey", "MacAddress" = excluded."MacAddress",
                "State" = excluded."State", "ExpiresAt" = excluded."ExpiresAt", "UpdatedAt" = excluded."UpdatedAt"
            WHERE dhcp_leases."ExpiresAt" <= excluded."UpdatedAt"
               OR (dhcp_leases."ClientKey" = excluded."ClientKey" AND dhcp_leases."State" <> 'Declined')
            RETURNING "Address", "ClientKey"),
        moved AS (
            DELETE FROM dhcp_leases d
            WHERE d."ClientKey" = ANY($2::text[]) AND d."State" <> 'Declined'
              AND d."ClientKey" IN (SELECT "ClientKey" FROM won) AND d."Address" NOT IN (SELECT "Address" FROM won))
        SELECT "Address" FROM won
        """;

    private readonly IDbContextFactory<Metal3DbContext> _contexts;
    private readonly SqliteWriteGate _writes;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _loop;
    /// <summary>PostgreSQL: the connection string for claims, and the one connection the loop keeps open with it.</summary>
    private string? _claimConnection;
    private NpgsqlConnection? _connection;
    private bool _sqlite;

    public LeaseClaimBatcher(IDbContextFactory<Metal3DbContext> contexts, SqliteWriteGate writes)
    {
        _contexts = contexts;
        _writes = writes;
        _loop = new Lazy<Task>(() => Task.Run(RunAsync));
    }

    /// <summary>One address for one client until <paramref name="Until"/>, if free at <paramref name="Now"/>.</summary>
    public readonly record struct Claim(long Address, string ClientKey, string? Mac, LeaseState State, DateTime Until, DateTime Now);

    /// <summary>
    /// Completed only through <see cref="Answer"/>: its continuations (the rest of each exchange: the reply and its send)
    /// run synchronously, off the loop, all of a group's in one thread-pool work item.
    /// </summary>
    private sealed record Pending(Claim Claim)
    {
        public TaskCompletionSource<bool> Won { get; } = new();
    }

    /// <summary>An outcome for each claim of a group: a result, or the exception that stopped its write.</summary>
    private readonly record struct Outcome(Pending Claim, bool Won, Exception? Error);

    /// <summary>
    /// True when the claim is committed; false when another client holds the address. Not cancellable: a claim once
    /// queued is written (and answered) within one group's time, even while the daemon stops.
    /// </summary>
    public Task<bool> ClaimAsync(Claim claim)
    {
        var pending = new Pending(claim);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(LeaseClaimBatcher));
        }
        _ = _loop.Value;
        return pending.Won.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await DropConnectionAsync();
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>
    /// Groups whatever is queued. A claim for an address or a client already in the group waits for the next group
    /// (a retransmission racing its original, or two clients after one address): one statement must not touch a row twice.
    /// </summary>
    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        var addresses = new HashSet<long>();
        var clients = new HashSet<string>();
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
            try
            {
                await WriteGroupAsync(group);
            }
            catch (Exception) when (group.Count > 1)
            {
                // One bad claim or a deadlock with another daemon's group must not fail the others.
                foreach (var one in group)
                {
                    await WriteOneAsync(one);
                }
            }
            catch (Exception e)
            {
                Answer([new Outcome(group[0], false, e)]);
            }
            group.Clear();
            addresses.Clear();
            clients.Clear();
        }

        void Add(Pending p)
        {
            if (group.Count < MaxGroup && !addresses.Contains(p.Claim.Address) && !clients.Contains(p.Claim.ClientKey))
            {
                group.Add(p);
                addresses.Add(p.Claim.Address);
                clients.Add(p.Claim.ClientKey);
            }
            else
            {
                later.Enqueue(p);
            }
        }
    }

    private async Task WriteOneAsync(Pending one)
    {
        try
        {
            await WriteGroupAsync([one]);
        }
        catch (Exception e) when (LostRace(e))
        {
            Answer([new Outcome(one, false, null)]);
        }
        catch (Exception e)
        {
            Answer([new Outcome(one, false, e)]);
        }
    }

    /// <summary>
    /// Hands the outcomes to one thread-pool work item that completes them in turn, so that the waiting exchanges
    /// continue there, one after another, instead of each waking a pool thread of its own, and never on the loop, which
    /// goes on to the next group at once.
    /// </summary>
    private static void Answer(Outcome[] outcomes) => ThreadPool.UnsafeQueueUserWorkItem(static outcomes =>
    {
        foreach (var (claim, won, error) in outcomes)
        {
            if (error is null)
            {
                claim.Won.TrySetResult(won);
            }
            else
            {
                claim.Won.TrySetException(error);
            }
        }
    }, outcomes, preferLocal: false);

    private async Task WriteGroupAsync(List<Pending> group)
    {
        if (_claimConnection is null && !_sqlite)
        {
            await using var probe = await _contexts.CreateDbContextAsync();
            _sqlite = !probe.Database.IsNpgsql();
            _claimConnection = _sqlite ? null : ClaimConnection(probe.Database.GetConnectionString()!);
        }
        bool[] won;
        if (_sqlite)
        {
            await using var db = await _contexts.CreateDbContextAsync();
            won = await WriteSqliteAsync(db, group);
        }
        else
        {
            won = await WritePostgresAsync(group);
        }
        var outcomes = new Outcome[group.Count];
        for (int i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = new Outcome(group[i], won[i], null);
        }
        Answer(outcomes);
    }

    /// <summary>One statement: one round trip, one commit.</summary>
    private async Task<bool[]> WritePostgresAsync(List<Pending> group)
    {
        int n = group.Count;
        var address = new long[n];
        var key = new string[n];
        var mac = new string?[n];
        var state = new string[n];
        var until = new DateTime[n];
        var now = new DateTime[n];
        for (int i = 0; i < n; i++)
        {
            var c = group[i].Claim;
            (address[i], key[i], mac[i], state[i], until[i], now[i]) = (c.Address, c.ClientKey, c.Mac, StateName(c.State), c.Until, c.Now);
        }
        if (_connection is not { State: ConnectionState.Open })
        {
            await DropConnectionAsync();
            _connection = new NpgsqlConnection(_claimConnection);
            await _connection.OpenAsync();
        }
        await using var command = new NpgsqlCommand(PostgresClaims, _connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = address });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = mac });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = state });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = until });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = now });
        var taken = new HashSet<long>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                taken.Add(reader.GetInt64(0));
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection (PostgreSQL restarted) is replaced on the next group.
            if (_connection.State != ConnectionState.Open)
            {
                await DropConnectionAsync();
            }
            throw;
        }
        var won = new bool[n];
        for (int i = 0; i < n; i++)
        {
            won[i] = taken.Contains(address[i]);
        }
        return won;
    }

    /// <summary>
    /// The daemon's connection string, for connections that run only the claim statement, with sequential scans off.
    /// The statement is prepared (planning it for every group cost PostgreSQL half its time), so it runs on a generic
    /// plan made once; one made while <c>dhcp_leases</c> was nearly empty scans the whole table for the DELETE, which
    /// measured 45 ms per group at 80,000 rows (DHCP fell from about 4,000 to 330 exchanges/s at 8,000/s offered as the
    /// table filled). Without
    /// sequential scans the plan reaches the client's rows through its index whatever the table's size was.
    /// </summary>
    private static string ClaimConnection(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c enable_seqscan=off".Trim();
        return builder.ConnectionString;
    }

    private static string StateName(LeaseState state) => state switch
    {
        LeaseState.Offered => nameof(LeaseState.Offered),
        LeaseState.Bound => nameof(LeaseState.Bound),
        _ => nameof(LeaseState.Declined),
    };

    /// <summary>SQLite has one writer anyway: the group is one transaction through this process's write gate.</summary>
    private async Task<bool[]> WriteSqliteAsync(Metal3DbContext db, List<Pending> group) => await _writes.WriteAsync(async () =>
    {
        var won = new bool[group.Count];
        await using var tx = await db.Database.BeginTransactionAsync();
        for (int i = 0; i < won.Length; i++)
        {
            var c = group[i].Claim;
            string key = c.ClientKey, state = c.State.ToString();
            string? mac = c.Mac;
            long address = c.Address;
            DateTime until = c.Until, now = c.Now;
            won[i] = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO dhcp_leases ("Address", "ClientKey", "MacAddress", "State", "ExpiresAt", "UpdatedAt")
                VALUES ({address}, {key}, {mac}, {state}, {until}, {now})
                ON CONFLICT ("Address") DO UPDATE SET "ClientKey" = excluded."ClientKey", "MacAddress" = excluded."MacAddress",
                    "State" = excluded."State", "ExpiresAt" = excluded."ExpiresAt", "UpdatedAt" = excluded."UpdatedAt"
                WHERE dhcp_leases."ExpiresAt" <= {now} OR (dhcp_leases."ClientKey" = {key} AND dhcp_leases."State" <> 'Declined')
                """) == 1;
            if (won[i])
            {
                await db.DhcpLeases
                    .Where(l => l.ClientKey == key && l.Address != address && l.State != nameof(LeaseState.Declined))
                    .ExecuteDeleteAsync();
            }
        }
        await tx.CommitAsync();
        return won;
    }, CancellationToken.None);

    /// <summary>
    /// The upsert makes a primary-key violation impossible in principle; should one surface anyway (or PostgreSQL pick
    /// this transaction as a deadlock victim while two daemons move one client), the other writer won.
    /// </summary>
    private static bool LostRace(Exception e) => (e is DbUpdateException { InnerException: { } inner } ? inner : e) switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
        SqliteException { SqliteErrorCode: 19 } => true,
        _ => false,
    };
}
