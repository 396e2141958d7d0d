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
    }
}
