using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// The web JSON defaults read numbers from strings too, so the framework describes every integer as
/// <c>["integer", "string"]</c> with a digits pattern. The daemon writes numbers as numbers; a client generator that
/// believes the document builds a union type for every count. Describe what is written.
/// </summary>
public sealed class NumbersAsWritten : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
