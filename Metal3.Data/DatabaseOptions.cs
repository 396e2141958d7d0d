namespace Metal3.Data;

/// <summary><c>Metal3:Database</c>: which store holds the hosts.</summary>
public sealed record DatabaseOptions
{
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL: <c>ConnectionStrings:Metal3</c>. SQLite: defaults to <c>&lt;DataDir&gt;/metal3.db</c>.</summary>
    public string? ConnectionString { get; init; }
}
