using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class HostEventConfiguration : IEntityTypeConfiguration<HostEventRecord>
{
    public void Configure(EntityTypeBuilder<HostEventRecord> e)
    {
        e.ToTable("host_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.Property(x => x.HostName).HasMaxLength(63);
        e.Property(x => x.Type).HasMaxLength(16);
        e.Property(x => x.Reason).HasMaxLength(64);
        e.Property(x => x.Message).HasMaxLength(4096);
        e.Property(x => x.FromState).HasMaxLength(32);
        e.Property(x => x.ToState).HasMaxLength(32);
        e.Property(x => x.Actor).HasMaxLength(200);
        e.HasIndex(x => new { x.HostId, x.Id });
    }
}
