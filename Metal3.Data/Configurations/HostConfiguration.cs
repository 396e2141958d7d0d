using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class HostConfiguration(bool isPostgres) : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> host)
    {
        host.ToTable("hosts");
        host.HasKey(h => h.Id);
        host.Property(h => h.Name).HasMaxLength(63).IsRequired();
        host.HasIndex(h => h.Name).IsUnique();
        host.Property(h => h.BootMacAddress).HasMaxLength(17);
        host.HasIndex(h => h.BootMacAddress).IsUnique();
        host.Property(h => h.State).HasConversion<string>().HasMaxLength(32);
        host.HasIndex(h => h.State);
        host.Property(h => h.OperationalStatus).HasConversion<string>().HasMaxLength(16);
        host.Property(h => h.ResourceVersion).IsConcurrencyToken();
        // A concurrency token too: every UPDATE of a host holds only if its consumer is still the one read, so a claim
        // binding a free host cannot overwrite another claim's (or an operator's) consumerRef.
        host.Property(h => h.ConsumerRef).HasMaxLength(253).IsConcurrencyToken();
        host.Property(h => h.Spec).AsJson(isPostgres).IsRequired();
        host.Property(h => h.Status).AsJson(isPostgres).IsRequired();
        host.Property(h => h.Operation).AsJson(isPostgres);
        host.Property(h => h.LeaseOwner).HasMaxLength(200);
        host.HasIndex(h => h.NextReconcileAt);
        host.HasMany(h => h.Labels).WithOne().HasForeignKey(l => l.HostId).OnDelete(DeleteBehavior.Cascade);
    }
}
