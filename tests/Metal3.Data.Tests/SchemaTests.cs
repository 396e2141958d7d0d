using Metal3.Data.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Tests;

/// <summary>The EF configurations and the migrations of each provider describe one schema.</summary>
public sealed class SchemaTests
{
    [Theory, BothStores]
    public async Task The_migrations_bring_a_fresh_database_to_exactly_the_model_the_configurations_describe(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var context = db.NewContext();

        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        // A configuration changed without a migration for this provider would make the daemon's schema differ from the model.
        Assert.False(context.Database.HasPendingModelChanges(),
            $"the {provider} model differs from its migrations' snapshot: add a migration (dotnet ef migrations add)");
    }
}
