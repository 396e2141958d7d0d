namespace Metal3.Data.Entities;

/// <summary>A claim's labels as rows (they mirror <c>Spec.Labels</c>), so listing claims by label is an indexed query.</summary>
public sealed class ClaimLabel
{
    public Guid ClaimId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
