using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;

namespace Metal3.Server.Api;

/// <summary><c>/api/v1/tokens</c>: admins create reader or admin tokens; a token is shown once, at creation.</summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAuthorization(Roles.CanWrite);
        api.MapPost("", CreateAsync).WithName("CreateToken")
            .DescribesBody<TokenRequest>()
            .Produces<TokenResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems();
        api.MapGet("", ListAsync).WithName("ListTokens")
            .Produces<ListResponse<TokenResponse>>();
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
        var record = await tokens.AddAsync(body!.Name!, body.Role!, token, ct);
        return TypedResults.Created("/api/v1/tokens",
            new TokenResponse(record.Name, record.Role, new DateTimeOffset(record.CreatedAt, TimeSpan.Zero), token));
    }

    public static async Task<IResult> ListAsync(TokenStore tokens, CancellationToken ct)
    {
        var all = await tokens.ListAsync(ct);
        return TypedResults.Ok(new ListResponse<TokenResponse>(
            all.Select(t => new TokenResponse(t.Name, t.Role, new DateTimeOffset(DateTime.SpecifyKind(t.CreatedAt, DateTimeKind.Utc)), null))
                .ToList(), null));
    }
}
