using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

internal sealed class ClaimLabelConfiguration : IEntityTypeConfiguration<ClaimLabel>
{
    public void Configure(EntityTypeBuilder<ClaimLabel> label)
    {
        label.ToTable("claim_labels");
        label.HasKey(l => new { l.ClaimId, l.Key });
        label.Property(l => l.Key).HasMaxLength(317);
        label.Property(l => l.Value).HasMaxLength(63);
        label.HasIndex(l => new { l.Key, l.Value });
    }
}
