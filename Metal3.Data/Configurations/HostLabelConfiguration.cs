using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class HostLabelConfiguration : IEntityTypeConfiguration<HostLabel>
{
    public void Configure(EntityTypeBuilder<HostLabel> label)
    {
        label.ToTable("host_labels");
        label.HasKey(l => new { l.HostId, l.Key });
        label.Property(l => l.Key).HasMaxLength(317);
        label.Property(l => l.Value).HasMaxLength(63);
        label.HasIndex(l => new { l.Key, l.Value });
    }
}
