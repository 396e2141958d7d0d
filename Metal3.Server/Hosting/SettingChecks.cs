using Microsoft.Extensions.Options;

namespace Metal3.Server.Hosting;

/// <summary>
/// The range checks an options validator makes, each failure naming the full configuration key, so that every
/// validator reports in the words an operator would search their settings for.
/// </summary>
public sealed class SettingChecks(string section)
{
    private readonly List<string> _failures = [];

    /// <summary>Intervals and timeouts: zero would spin a loop or give up at once.</summary>
    public SettingChecks Positive(string key, TimeSpan value) =>
        Check(value > TimeSpan.Zero, key, $"must be longer than zero, not {value}");

    public SettingChecks NotNegative(string key, TimeSpan value) =>
        Check(value >= TimeSpan.Zero, key, $"must not be negative, not {value}");

    public SettingChecks AtLeastOne(string key, long value) =>
        Check(value >= 1, key, $"must be at least 1, not {value}");

    public SettingChecks Check(bool ok, string key, string problem)
    {
        if (!ok)
        {
            _failures.Add($"{section}:{key} {problem}");
        }
        return this;
    }

    /// <summary>Problems found elsewhere (read by hand), already named by their key.</summary>
    public SettingChecks Add(IEnumerable<string> problems)
    {
        _failures.AddRange(problems);
        return this;
    }

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
