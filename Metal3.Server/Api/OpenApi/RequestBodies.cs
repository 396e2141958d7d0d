using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>The request body of an endpoint that reads its body by hand, from its <see cref="RequestBodyMetadata"/>.</summary>
public sealed class RequestBodies : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyMetadata>().ToList();
        if (declared.Count == 0)
        {
            return;
        }
        var content = new Dictionary<string, OpenApiMediaType>();
        foreach (var body in declared)
        {
            content[body.ContentType] = new OpenApiMediaType
            {
                Schema = await SchemaComponents.ReferenceAsync(body.Type, context, ct),
                Example = body.Example is null ? null : System.Text.Json.Nodes.JsonNode.Parse(body.Example),
            };
        }
        operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
    }
}
