namespace Metal3.Core.Hosts;

public sealed record ImageSpec
{
    public required string Url { get; init; }
    public required string Checksum { get; init; }
    public ChecksumType ChecksumType { get; init; } = ChecksumType.Auto;
    public ImageFormat? Format { get; init; }
}
