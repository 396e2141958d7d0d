namespace Metal3.Contracts.Api;

public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? Continue);
