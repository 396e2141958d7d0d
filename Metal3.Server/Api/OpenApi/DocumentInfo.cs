using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// The document's title and promise, and no <c>servers</c>: the framework fills them from the request, so the document
/// would differ with every address it is fetched from (and the copy in the repository could never match).
/// </summary>
public sealed class DocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "metal3 API",
            Version = "v1",
            Description = "Bare-metal hosts, their actions and events, API tokens, and the deploy agent's calls. JSON, " +
                "camelCase; errors are RFC 9457 problem details. Within v1, fields and operations are only added: " +
                "nothing is removed or renamed, and no field changes its type or meaning.",
        };
        document.Servers = [];
        return Task.CompletedTask;
    }
}
