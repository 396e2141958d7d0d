using Metal3.Data.Configurations;
using Metal3.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

public sealed class Metal3DbContext(DbContextOptions<Metal3DbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<HostLabel> HostLabels => Set<HostLabel>();
    public DbSet<HostEventRecord> HostEvents => Set<HostEventRecord>();
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<DhcpLeaseRecord> DhcpLeases => Set<DhcpLeaseRecord>();
    public DbSet<AgentSessionRecord> AgentSessions => Set<AgentSessionRecord>();
    public DbSet<HostChangeRecord> HostChanges => Set<HostChangeRecord>();
    public DbSet<ClaimRecord> Claims => Set<ClaimRecord>();
    public DbSet<ClaimLabel> ClaimLabels => Set<ClaimLabel>();
    public DbSet<ClaimEventRecord> ClaimEvents => Set<ClaimEventRecord>();
    public DbSet<HostSetRecord> HostSets => Set<HostSetRecord>();
    public DbSet<HostSetEventRecord> HostSetEvents => Set<HostSetEventRecord>();
    public DbSet<DiscoveredMachineRecord> DiscoveredMachines => Set<DiscoveredMachineRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        bool isPostgres = Database.IsNpgsql();
        modelBuilder.ApplyConfiguration(new HostConfiguration(isPostgres));
        modelBuilder.ApplyConfiguration(new HostLabelConfiguration());
        modelBuilder.ApplyConfiguration(new HostEventConfiguration());
        modelBuilder.ApplyConfiguration(new ApiTokenConfiguration());
        modelBuilder.ApplyConfiguration(new DhcpLeaseConfiguration());
        modelBuilder.ApplyConfiguration(new AgentSessionConfiguration());
        modelBuilder.ApplyConfiguration(new HostChangeConfiguration());
        modelBuilder.ApplyConfiguration(new ClaimConfiguration(isPostgres));
        modelBuilder.ApplyConfiguration(new ClaimLabelConfiguration());
        modelBuilder.ApplyConfiguration(new ClaimEventConfiguration());
        modelBuilder.ApplyConfiguration(new HostSetConfiguration(isPostgres));
        modelBuilder.ApplyConfiguration(new HostSetEventConfiguration());
        modelBuilder.ApplyConfiguration(new DiscoveredMachineConfiguration(isPostgres));
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
