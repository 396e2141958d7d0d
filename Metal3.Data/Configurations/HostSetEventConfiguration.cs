using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class HostSetEventConfiguration : IEntityTypeConfiguration<HostSetEventRecord>
{
    public void Configure(EntityTypeBuilder<HostSetEventRecord> e)
    {
        e.ToTable("host_set_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.Property(x => x.HostSetName).HasMaxLength(63);
        e.Property(x => x.Type).HasMaxLength(16);
        e.Property(x => x.Reason).HasMaxLength(64);
        e.Property(x => x.Message).HasMaxLength(1024);
        e.Property(x => x.ClaimName).HasMaxLength(63);
        e.Property(x => x.Actor).HasMaxLength(200);
        e.HasIndex(x => new { x.HostSetId, x.Id });
    }
}
