using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// The two bearer schemes, and on each operation the one it takes: the API token on everything behind authorization,
/// the agent token on the deploy agent's calls after lookup, none on what is anonymous on purpose (the agent's lookup).
/// Without this a generated client sends no token.
/// </summary>
public sealed class BearerSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string ApiToken = "apiToken";
    public const string AgentToken = "agentToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        AddSchemes(document);
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        string? scheme = EndpointAccessOf.From(context.Description.ActionDescriptor.EndpointMetadata) switch
        {
            EndpointAccess.ReaderToken or EndpointAccess.AdminToken => ApiToken,
            EndpointAccess.AgentToken => AgentToken,
            _ => null,
        };
        if (scheme is not null && context.Document is { } document)
        {
            AddSchemes(document);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
        }
        return Task.CompletedTask;
    }

    private static void AddSchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(ApiToken, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token: `admin` (everything) or `reader` (GETs only). The first start writes an admin " +
                "token to `<DataDir>/admin.token`; `POST /api/v1/tokens` makes more.",
        });
        document.Components.SecuritySchemes.TryAdd(AgentToken, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The deploy agent's token for its own host, from `POST /api/v1/agent/lookup`, once per ramdisk boot.",
        });
    }
}
