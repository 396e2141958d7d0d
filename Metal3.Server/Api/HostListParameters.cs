using System.Buffers.Text;
using System.Text;
using Metal3.Core.Provisioning;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Server.Api.Validation;

namespace Metal3.Server.Api;

/// <summary>Parses <c>labelSelector</c>, <c>state</c>, <c>limit</c> and <c>continue</c> of GET /hosts.</summary>
public static class HostListParameters
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 5000;

    public static (HostListQuery? Query, Dictionary<string, string[]> Errors) Parse(
        string? labelSelector, string? state, int? limit, string? continueToken)
    {
        var errors = new Dictionary<string, string[]>();
        var labels = new List<LabelRequirement>();
        foreach (string term in (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseTerm(term) is { } req)
            {
                labels.Add(req);
            }
            else
            {
                errors["labelSelector"] = [$"'{term}' is not a selector term: key=value, key==value, key!=value, key or !key"];
            }
        }

        var states = new List<ProvisioningState>();
        foreach (string s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (WireNames<ProvisioningState>.TryParse(s, out var parsed))
            {
                states.Add(parsed);
            }
            else
            {
                errors["state"] = [$"'{s}' is not a state; expected one of {WireNames<ProvisioningState>.Expected}"];
            }
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {MaxLimit}"];
        }

        string? after = null;
        if (!string.IsNullOrEmpty(continueToken) && !TryDecodeContinue(continueToken, out after))
        {
            errors["continue"] = ["not a continue token returned by this API"];
        }
        return errors.Count > 0 ? (null, errors) : (new HostListQuery(labels, states, limit ?? DefaultLimit, after), errors);
    }

    public static string EncodeContinue(string lastName) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes("n:" + lastName));

    private static bool TryDecodeContinue(string token, out string? lastName)
    {
        lastName = null;
        try
        {
            string decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!decoded.StartsWith("n:", StringComparison.Ordinal))
            {
                return false;
            }
            lastName = decoded[2..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>One selector term, or null when it is not one (claims use the same terms).</summary>
    internal static LabelRequirement? ParseTerm(string term)
    {
        if (term.StartsWith('!'))
        {
            string key = term[1..].Trim();
            return LabelRules.KeyError(key) is null ? new LabelRequirement(key, null, Negated: true) : null;
        }
        string[] parts;
        bool negated = false;
        if (term.Contains("!=", StringComparison.Ordinal))
        {
            parts = term.Split("!=", 2);
            negated = true;
        }
        else if (term.Contains("==", StringComparison.Ordinal))
        {
            parts = term.Split("==", 2);
        }
        else if (term.Contains('='))
        {
            parts = term.Split('=', 2);
        }
        else
        {
            return LabelRules.KeyError(term) is null ? new LabelRequirement(term, null, Negated: false) : null;
        }
        string k = parts[0].Trim();
        string v = parts[1].Trim();
        return LabelRules.KeyError(k) is null && LabelRules.IsValidValue(v) ? new LabelRequirement(k, v, negated) : null;
    }
}
