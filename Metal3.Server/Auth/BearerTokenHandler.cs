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
    TokenAuthenticator tokens,
    IOptions<Metal3Options> metal3)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>The actor of every request when authentication is off.</summary>
    public const string AnonymousActor = "anonymous";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (metal3.Value.Auth.Mode == AuthModes.None)
        {
            return Success(AnonymousActor, Roles.Admin);
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
        var identity = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        return identity is null ? AuthenticateResult.Fail("unknown, revoked or expired bearer token") : Success(identity.Actor, identity.Role);
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
            detail = "send 'Authorization: Bearer <token>' with a token that is neither revoked nor expired; the first start wrote an admin token to <DataDir>/admin.token",
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

    /// <summary>The principal's name is its actor (<c>token:&lt;name&gt;</c>), as events and the audit log write it.</summary>
    private AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
