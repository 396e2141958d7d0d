using Metal3.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Metal3.Migrations.Sqlite;

/// <summary>Used only by <c>dotnet ef migrations add</c>; no database is contacted to generate a migration.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<Metal3DbContext>
{
    public Metal3DbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<Metal3DbContext>();
        DataServiceCollectionExtensions.Configure(builder, new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = "Data Source=design.db",
        });
        return new Metal3DbContext(builder.Options);
    }
}
