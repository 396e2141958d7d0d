using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data.Entities;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;

namespace Metal3.Server.Api;

/// <summary>
/// <c>/api/v1/tokens</c>: admins create reader or admin tokens, list and revoke them. A token's secret is shown once, at
/// creation; its name is unique for good (a revoked token keeps it), so an actor in an event names one token only.
/// </summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAuthorization(Roles.CanWrite);
        api.MapPost("", CreateAsync).WithName("CreateToken")
            .DescribesBody<TokenRequest>()
            .Produces<TokenResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "A token has or had this name");
        api.MapGet("", ListAsync).WithName("ListTokens")
            .Produces<ListResponse<TokenResponse>>();
        api.MapDelete("/{name}", RevokeAsync).WithName("RevokeToken")
            .Produces(StatusCodes.Status204NoContent)
            .AnswersProblem(StatusCodes.Status404NotFound, "No live token has this name");
        return api;
    }

    public static async Task<IResult> CreateAsync(HttpRequest request, TokenStore tokens, IValidator<TokenRequest> validator,
        CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<TokenRequest>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var validation = await validator.ValidateAsync(body!, ct);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }
        string token = TokenStore.NewToken();
        var record = await tokens.AddAsync(body!.Name!, body.Role!, token, body.ExpiresAt, ct);
        return record is null
            ? Problems.Conflict($"a token named '{body.Name}' exists or existed (names of revoked tokens are not reused)")
            : TypedResults.Created($"/api/v1/tokens/{record.Name}", ToResponse(record, token));
    }

    public static async Task<IResult> ListAsync(TokenStore tokens, CancellationToken ct)
    {
        var all = await tokens.ListAsync(ct);
        return TypedResults.Ok(new ListResponse<TokenResponse>(all.Select(t => ToResponse(t, secret: null)).ToList(), null));
    }

    /// <summary>
    /// Revoked at once in the database; every daemon sharing it refuses the token within a second (its cache's life).
    /// </summary>
    public static async Task<IResult> RevokeAsync(string name, TokenStore tokens, CancellationToken ct) =>
        await tokens.RevokeAsync(name, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"no token named '{name}' (or it was revoked already)");

    private static TokenResponse ToResponse(ApiTokenRecord t, string? secret) =>
        new(t.Name, t.Role, Utc(t.CreatedAt), secret, Utc(t.ExpiresAt), Utc(t.LastUsedAt));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;
}
