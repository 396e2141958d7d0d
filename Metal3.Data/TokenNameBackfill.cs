namespace Metal3.Data;

/// <summary>
/// Token names became unique (migration TokenLifecycle). Before, every daemon sharing a database added its own admin
/// token under one name, so the names the start-up gave are rewritten to the form it gives now (kind and the start of
/// the hash, <c>AdminTokenBootstrap.NameOf</c>), and any other name held twice gets the same suffix. The SQL reads the
/// same in PostgreSQL and SQLite.
/// </summary>
public static class TokenNameBackfill
{
    public static readonly string[] Statements =
    [
        """UPDATE api_tokens SET "Name" = 'admin-' || substr("Sha256", 1, 8) WHERE "Name" = 'admin (admin.token)'""",
        """UPDATE api_tokens SET "Name" = 'configured-admin-' || substr("Sha256", 1, 8) WHERE "Name" = 'configured admin'""",
        """
        UPDATE api_tokens SET "Name" = substr("Name", 1, 91) || '-' || substr("Sha256", 1, 8)
        WHERE "Name" IN (SELECT "Name" FROM api_tokens GROUP BY "Name" HAVING COUNT(*) > 1)
        """,
    ];
}
