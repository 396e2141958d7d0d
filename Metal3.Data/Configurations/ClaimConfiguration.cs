using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class ClaimConfiguration(bool isPostgres) : IEntityTypeConfiguration<ClaimRecord>
{
    public void Configure(EntityTypeBuilder<ClaimRecord> claim)
    {
        claim.ToTable("claims");
        claim.HasKey(c => c.Id);
        claim.Property(c => c.Name).HasMaxLength(63).IsRequired();
        claim.HasIndex(c => c.Name).IsUnique();
        claim.Property(c => c.ResourceVersion).IsConcurrencyToken();
        claim.Property(c => c.Spec).AsJson(isPostgres).IsRequired();
        claim.Property(c => c.Phase).HasConversion<string>().HasMaxLength(16);
        // The binding queue: pending claims, oldest first.
        claim.HasIndex(c => new { c.Phase, c.CreatedAt });
        claim.Property(c => c.HostName).HasMaxLength(63);
        claim.Property(c => c.Message).HasMaxLength(1024);
        // At most one claim per host, whatever any daemon does. The same filter text works on both providers.
        claim.HasIndex(c => c.HostId).IsUnique().HasFilter("\"HostId\" IS NOT NULL");
        // A host set finds its claims by this; the name is for display.
        claim.HasIndex(c => c.HostSetId);
        claim.Property(c => c.HostSetName).HasMaxLength(63);
        claim.Property(c => c.TemplateHash).HasMaxLength(64);
        claim.HasMany(c => c.Labels).WithOne().HasForeignKey(l => l.ClaimId).OnDelete(DeleteBehavior.Cascade);
    }
}
