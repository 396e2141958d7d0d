using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>A type's schema as a shared component (<c>#/components/schemas/Name</c>), added on first use.</summary>
public static class SchemaComponents
{
    public static async Task<IOpenApiSchema> ReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
        if (context.Document is not { } document)
        {
            return schema;
        }
        string id = NameOf(type);
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(id, schema);
        return new OpenApiSchemaReference(id, document);
    }

    // The names the framework gives: the type's name (generic arguments spelled out, ListResponseOfHostEventResponse).
    private static string NameOf(Type type) =>
        type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Join("And", type.GetGenericArguments().Select(NameOf))
            : type.Name;
}
