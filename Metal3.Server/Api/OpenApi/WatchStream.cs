using System.Text.Json.Nodes;
using Metal3.Contracts.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Metal3.Server.Api.OpenApi;

/// <summary>
/// The watch stream in the document: with <c>watch=true</c> the 200 is <c>text/event-stream</c>, whose events'
/// <c>data:</c> are <see cref="HostWatchEventResponse"/> (a component, so a generated client has the model).
/// </summary>
public sealed class WatchStream : IOpenApiOperationTransformer
{
    public const string MediaType = "text/event-stream";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<WatchStreamMetadata>().Any()
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }
        await SchemaComponents.ReferenceAsync(typeof(HostWatchEventResponse), context, ct);
        ok.Description = "The list; with `watch=true`, a stream of server-sent events instead";
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content[MediaType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Server-sent events (with `watch=true`). Each event has `id:` (a change id; resume with " +
                    "`resourceVersion=` or `Last-Event-ID:`), `event:` (`ADDED`, `MODIFIED` or `DELETED`) and `data:`, a " +
                    "HostWatchEventResponse as JSON. A comment line `: keepalive` comes after 15 s without events. Without " +
                    "`resourceVersion` the stream starts with one ADDED per matching host; resuming from a change older " +
                    "than Metal3:Watch:Retention is 410.",
            },
            Example = JsonValue.Create(
                "id: 42\nevent: ADDED\ndata: {\"type\":\"ADDED\",\"object\":{\"name\":\"worker-0\",\"resourceVersion\":\"3\",…}}\n\n" +
                ": keepalive\n\n"),
        };
    }
}
