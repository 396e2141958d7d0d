using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class HostSetConfiguration(bool isPostgres) : IEntityTypeConfiguration<HostSetRecord>
{
    public void Configure(EntityTypeBuilder<HostSetRecord> set)
    {
        set.ToTable("host_sets");
        set.HasKey(s => s.Id);
        set.Property(s => s.Name).HasMaxLength(63).IsRequired();
        set.HasIndex(s => s.Name).IsUnique();
        set.Property(s => s.ResourceVersion).IsConcurrencyToken();
        set.Property(s => s.ClaimsRevision).IsConcurrencyToken();
        set.Property(s => s.Spec).AsJson(isPostgres).IsRequired();
        set.Property(s => s.TemplateHash).HasMaxLength(64).IsRequired();
    }
}
