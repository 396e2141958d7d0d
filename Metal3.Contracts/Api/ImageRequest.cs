namespace Metal3.Contracts.Api;

public sealed record ImageRequest
{
    public string? Url { get; init; }
    public string? Checksum { get; init; }
    public string? ChecksumType { get; init; }
    public string? Format { get; init; }
}
