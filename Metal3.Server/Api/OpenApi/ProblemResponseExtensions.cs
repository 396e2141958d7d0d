namespace Metal3.Server.Api.OpenApi;

public static class ProblemResponseExtensions
{
    public static TBuilder AnswersProblem<TBuilder>(this TBuilder endpoint, int statusCode, string when)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ProblemResponseMetadata(statusCode, when));

    /// <summary>What every endpoint that reads a JSON body with <see cref="JsonBody"/> can answer about the body.</summary>
    public static RouteHandlerBuilder AnswersBodyProblems(this RouteHandlerBuilder endpoint, string mediaType = JsonBody.Json) =>
        endpoint
            .AnswersProblem(StatusCodes.Status400BadRequest,
                "The body is not JSON, or has invalid or unknown fields; `errors` lists every bad field at once")
            .AnswersProblem(StatusCodes.Status413PayloadTooLarge, "The body exceeds Metal3:Api:MaxBodyBytes")
            .AnswersProblem(StatusCodes.Status415UnsupportedMediaType, $"The body is not sent as {mediaType}");
}
