using Metal3.Data;
using Metal3.Server.Api;

namespace Metal3.Server.Claims;

/// <summary>A claim's <c>labelSelector</c>: the same terms as <c>GET /hosts?labelSelector=</c>, comma-separated.</summary>
public static class ClaimSelectors
{
    public static bool TryParse(string? selector, out List<LabelRequirement> requirements, out string? error)
    {
        requirements = [];
        error = null;
        foreach (string term in (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (HostListParameters.ParseTerm(term) is not { } requirement)
            {
                error = $"'{term}' is not a selector term: key=value, key==value, key!=value, key or !key";
                return false;
            }
            requirements.Add(requirement);
        }
        return true;
    }
}
