namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// The body an endpoint reads by hand (<see cref="JsonBody"/>), for the OpenAPI document only. Not
/// <c>.Accepts&lt;T&gt;()</c>: its metadata makes routing answer 415 to a wrong media type before authentication has
/// run, and JsonBody's own check answers it with problem details after.
/// </summary>
/// <param name="Example">A real request's body, as JSON; shown in the document beside the schema.</param>
public sealed record RequestBodyMetadata(Type Type, string ContentType, string? Example = null);
