namespace Metal3.Server.Api.OpenApi;

public static class RequestBodyExtensions
{
    public static RouteHandlerBuilder DescribesBody<T>(
        this RouteHandlerBuilder endpoint, string contentType = JsonBody.Json, string? example = null) =>
        endpoint.WithMetadata(new RequestBodyMetadata(typeof(T), contentType, example));
}
