using System.Security.Claims;

namespace Metal3.Server.Auth;

/// <summary>Who made a request, as its events and its audit line name it: <c>token:&lt;name&gt;</c>, or null when no token was accepted.</summary>
public static class ApiActor
{
    public static string? Of(ClaimsPrincipal? user) => user?.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
}
