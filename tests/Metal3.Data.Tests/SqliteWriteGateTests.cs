namespace Metal3.Data.Tests;

/// <summary>The line SQLite writers of one process wait in, and the gate PostgreSQL gets instead.</summary>
public sealed class SqliteWriteGateTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_to_one_sqlite_file_take_turns_while_another_file_and_PostgreSQL_never_wait()
    {
        var file = Sqlite($"Data Source=/nonexistent/{Guid.NewGuid():N}.db");
        var gate = SqliteWriteGate.For(file);
        var postgres = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=127.0.0.1" };
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool secondRan = false;

        var first = gate.WriteAsync(() => release.Task, None);
        var second = SqliteWriteGate.For(file with { }).WriteAsync(() =>
        {
            secondRan = true;
            return Task.FromResult(2);
        }, None);

        Assert.Equal(3, await SqliteWriteGate.For(Sqlite($"Data Source=/nonexistent/{Guid.NewGuid():N}.db"))
            .WriteAsync(() => Task.FromResult(3), None).WaitAsync(Deadline));
        Assert.Equal(4, await SqliteWriteGate.For(postgres).WriteAsync(() => Task.FromResult(4), None).WaitAsync(Deadline));
        Assert.Same(SqliteWriteGate.Open, SqliteWriteGate.For(postgres));
        Assert.False(secondRan, "the second write to the file started while the first held the gate");
        release.SetResult(1);
        Assert.Equal(1, await first.WaitAsync(Deadline));
        Assert.Equal(2, await second.WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_write_that_fails_gives_the_gate_back()
    {
        var gate = SqliteWriteGate.For(Sqlite($"Data Source=/nonexistent/{Guid.NewGuid():N}.db"));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            gate.WriteAsync<int>(() => throw new InvalidOperationException("constraint"), None));

        Assert.Equal(5, await gate.WriteAsync(() => Task.FromResult(5), None).WaitAsync(Deadline));
    }

    private static DatabaseOptions Sqlite(string connectionString) =>
        new() { Provider = DatabaseProvider.Sqlite, ConnectionString = connectionString };
}
