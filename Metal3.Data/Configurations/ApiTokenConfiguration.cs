using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiTokenRecord>
{
    public void Configure(EntityTypeBuilder<ApiTokenRecord> t)
    {
        t.ToTable("api_tokens");
        t.HasKey(x => x.Id);
        t.Property(x => x.Name).HasMaxLength(100);
        t.Property(x => x.Role).HasMaxLength(16);
        t.Property(x => x.Sha256).HasMaxLength(64);
        t.HasIndex(x => x.Sha256).IsUnique();
        // Revoked tokens keep their name: a name is never reused, so an actor in an old event names one token only.
        t.HasIndex(x => x.Name).IsUnique();
    }
}
