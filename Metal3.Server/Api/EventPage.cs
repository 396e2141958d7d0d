using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metal3.Server.Api;

/// <summary>
/// The paging of an events list (a host's, a claim's): <c>limit</c> up to <see cref="Max"/>, <c>continue</c> the id of
/// the last event of the previous page.
/// </summary>
public readonly record struct EventPage(long After, int Take)
{
    public const int Max = 1000;

    /// <summary>The page asked for, or the problem with its parameters.</summary>
    public static bool TryParse(int? limit, string? continueToken, out EventPage page, out ValidationProblem? problem)
    {
        page = default;
        problem = null;
        if (limit is < 1 or > Max)
        {
            problem = Problems.Invalid("limit", $"must be between 1 and {Max}");
            return false;
        }
        long after = 0;
        if (!string.IsNullOrEmpty(continueToken) && !long.TryParse(continueToken, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            problem = Problems.Invalid("continue", "not a continue token returned by this API");
            return false;
        }
        page = new EventPage(after, limit ?? Max);
        return true;
    }

    /// <summary>The continue token after <paramref name="lastId"/> when the page came back full, else null (the end).</summary>
    public string? Next(int count, long lastId) => count == Take ? lastId.ToString(CultureInfo.InvariantCulture) : null;
}
