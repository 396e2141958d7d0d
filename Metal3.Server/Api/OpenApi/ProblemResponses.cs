using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// Every error an operation can answer, as <c>application/problem+json</c>: the ones its endpoint declares
/// (<see cref="ProblemResponseMetadata"/>), 401 and 403 from its credential, and 500 and 503 (the database away), which
/// any operation can answer.
/// A 400 carries the validation field map (<c>errors</c>).
/// </summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public const string MediaType = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var answers = new SortedDictionary<int, string>();
        foreach (var declared in metadata.OfType<ProblemResponseMetadata>())
        {
            answers[declared.StatusCode] = declared.When;
        }
        switch (EndpointAccessOf.From(metadata))
        {
            case EndpointAccess.ReaderToken:
                answers.TryAdd(StatusCodes.Status401Unauthorized, "No bearer token, or an unknown or revoked one");
                break;
            case EndpointAccess.AdminToken:
                answers.TryAdd(StatusCodes.Status401Unauthorized, "No bearer token, or an unknown or revoked one");
                answers.TryAdd(StatusCodes.Status403Forbidden, "The token is a reader's: writes need an admin token");
                break;
            case EndpointAccess.AgentToken:
                answers.TryAdd(StatusCodes.Status401Unauthorized, "No agent token, or one that has ended: look up again");
                answers.TryAdd(StatusCodes.Status403Forbidden, "The agent token belongs to another host");
                break;
        }
        answers.TryAdd(StatusCodes.Status500InternalServerError, "An unexpected failure in the daemon; its log says more");
        // Every operation reads or writes the database (the agent's lookup and the token check included).
        answers.TryAdd(StatusCodes.Status503ServiceUnavailable,
            "The database cannot be reached: nothing was changed; try again after the Retry-After header's seconds");

        operation.Responses ??= [];
        foreach (var (status, when) in answers)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = when,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaType] = new() { Schema = await SchemaComponents.ReferenceAsync(type, context, ct) },
                },
            };
        }
    }
}
