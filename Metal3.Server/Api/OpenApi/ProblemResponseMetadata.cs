namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// One error an endpoint can answer, with when it does, for the OpenAPI document: an RFC 9457 problem
/// (<c>application/problem+json</c>). <see cref="ProblemResponses"/> writes them, and adds the ones every endpoint of a
/// kind shares (401, 403, 500).
/// </summary>
public sealed record ProblemResponseMetadata(int StatusCode, string When);
