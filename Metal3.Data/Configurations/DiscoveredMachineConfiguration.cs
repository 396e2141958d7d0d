using System.Text.Json;
using Metal3.Core.Json;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class DiscoveredMachineConfiguration(bool isPostgres) : IEntityTypeConfiguration<DiscoveredMachineRecord>
{
    public void Configure(EntityTypeBuilder<DiscoveredMachineRecord> d)
    {
        d.ToTable("discovered_machines");
        d.HasKey(x => x.Id);
        d.Property(x => x.Key).HasMaxLength(17);
        d.HasIndex(x => x.Key).IsUnique();
        d.Property(x => x.Macs).HasConversion(
            v => JsonSerializer.Serialize(v, Metal3Json.Options),
            s => JsonSerializer.Deserialize<List<string>>(s, Metal3Json.Options) ?? new List<string>(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, m) => HashCode.Combine(h, m)),
                v => v.ToList()));
        if (isPostgres)
        {
            d.Property(x => x.Macs).HasColumnType("jsonb");
        }
        d.Property(x => x.Inventory).AsJson(isPostgres);
        d.Property(x => x.BmcAddress).HasMaxLength(64);
        d.Property(x => x.ReportedFrom).HasMaxLength(64);
        d.HasIndex(x => x.LastSeenAt);
    }
}
