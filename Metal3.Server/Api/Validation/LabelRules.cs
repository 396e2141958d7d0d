using System.Text.RegularExpressions;
using FluentValidation;
using Metal3.Contracts.Api;

namespace Metal3.Server.Api.Validation;

/// <summary>Kubernetes label syntax: <c>[prefix/]name</c> keys, values of at most 63 characters.</summary>
public static partial class LabelRules
{
    public const int MaxLabels = 64;

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    public static void Validate<T>(Dictionary<string, string>? labels, ValidationContext<T> context)
    {
        if (labels is null)
        {
            return;
        }
        if (labels.Count > MaxLabels)
        {
            context.AddFailure("labels", $"at most {MaxLabels} labels");
        }
        foreach (var (key, value) in labels)
        {
            if (KeyError(key) is { } keyError)
            {
                context.AddFailure($"labels.{key}", keyError);
            }
            else if (!IsValidValue(value))
            {
                context.AddFailure($"labels.{key}",
                    "value must be empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
            }
        }
    }

    public static string? KeyError(string key)
    {
        int slash = key.IndexOf('/');
        string name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            string prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !DnsSubdomain().IsMatch(prefix))
            {
                return "key prefix must be a DNS subdomain of at most 253 characters";
            }
        }
        return NamePart().IsMatch(name)
            ? null
            : "key must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    }

    public static bool IsValidValue(string? value) => value is not null && (value.Length == 0 || NamePart().IsMatch(value));
}
