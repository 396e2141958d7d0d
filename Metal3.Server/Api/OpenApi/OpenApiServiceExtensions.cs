namespace Metal3.Server.Api.OpenApi;

public static class OpenApiServiceExtensions
{
    /// <summary>
    /// <c>/openapi/v1.json</c>, generated from the endpoints: their metadata says what each one takes and answers, and
    /// these transformers turn that into request bodies, problem responses and security. docs/openapi.json is a copy.
    /// </summary>
    public static IServiceCollection AddMetal3OpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddDocumentTransformer<BearerSecurity>();
            options.AddOperationTransformer<BearerSecurity>();
            options.AddOperationTransformer<RequestBodies>();
            options.AddOperationTransformer<ProblemResponses>();
            options.AddOperationTransformer<WatchStream>();
            options.AddSchemaTransformer<NumbersAsWritten>();
        });
}
