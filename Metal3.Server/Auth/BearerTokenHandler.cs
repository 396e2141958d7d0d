using System.Security.Claims;
using System.Text.Encodings.Web;
using Metal3.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Auth;

/// <summary><c>Authorization: Bearer &lt;token&gt;</c> against the token store; in auth mode <c>none</c>, everyone is admin.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenStore tokens,
    IOptions<Metal3Options> metal3)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (metal3.Value.Auth.Mode == AuthModes.None)
        {
            return Success("anonymous", Roles.Admin);
        }
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        string token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("malformed bearer token");
        }
        string? role = await tokens.RoleOfAsync(token, Context.RequestAborted);
        return role is null ? AuthenticateResult.Fail("unknown bearer token") : Success("token", role);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            title = "Unauthorized",
            status = 401,
            detail = "send 'Authorization: Bearer <token>'; the first start wrote an admin token to <DataDir>/admin.token",
        }, options: null, contentType: "application/problem+json");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            title = "Forbidden",
            status = 403,
            detail = "this token's role may not do this; writes need an admin token",
        }, options: null, contentType: "application/problem+json");
    }

    private AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
