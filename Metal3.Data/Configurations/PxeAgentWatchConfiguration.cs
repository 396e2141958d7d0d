using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class DhcpLeaseConfiguration : IEntityTypeConfiguration<DhcpLeaseRecord>
{
    public void Configure(EntityTypeBuilder<DhcpLeaseRecord> l)
    {
        l.ToTable("dhcp_leases");
        l.HasKey(x => x.Address);
        l.Property(x => x.Address).ValueGeneratedNever();
        l.Property(x => x.ClientKey).HasMaxLength(255);
        l.Property(x => x.MacAddress).HasMaxLength(17);
        l.Property(x => x.State).HasMaxLength(16);
        l.HasIndex(x => x.ClientKey);
        l.HasIndex(x => x.ExpiresAt);
    }
}

internal sealed class AgentSessionConfiguration : IEntityTypeConfiguration<AgentSessionRecord>
{
    public void Configure(EntityTypeBuilder<AgentSessionRecord> a)
    {
        a.ToTable("agent_sessions");
        a.HasKey(x => x.HostId);
        a.HasOne<HostRecord>().WithOne().HasForeignKey<AgentSessionRecord>(x => x.HostId).OnDelete(DeleteBehavior.Cascade);
        a.Property(x => x.TokenSha256).HasMaxLength(64);
        a.HasIndex(x => x.TokenSha256).IsUnique();
        a.Property(x => x.CommandKind).HasMaxLength(16);
        a.Property(x => x.CommandState).HasMaxLength(16);
    }
}

internal sealed class HostChangeConfiguration : IEntityTypeConfiguration<HostChangeRecord>
{
    public void Configure(EntityTypeBuilder<HostChangeRecord> c)
    {
        c.ToTable("host_changes");
        c.HasKey(x => x.Id);
        c.Property(x => x.Id).ValueGeneratedOnAdd();
        c.Property(x => x.HostName).HasMaxLength(63);
        c.Property(x => x.Type).HasMaxLength(8);
        c.HasIndex(x => x.Time);
    }
}
