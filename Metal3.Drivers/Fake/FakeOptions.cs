using System.Web;

namespace Metal3.Drivers.Fake;

/// <summary>
/// The query of a <c>fake://ID?delayMs=N&amp;callMs=N&amp;fail=inspect,provision,power,credentials,clean,unreachable</c> address: how
/// slow the simulated BMC and agent are, and which of their operations fail (<c>unreachable</c>: the BMC answers nothing,
/// as one that is unplugged or whose network is down).
/// </summary>
public sealed record FakeOptions(TimeSpan Delay, IReadOnlySet<string> Failures)
{
    /// <summary><c>callMs=N</c>: how long each BMC call takes to answer (0: at once).</summary>
    public TimeSpan CallTime { get; init; }

    public static readonly IReadOnlySet<string> KnownFailures =
        new HashSet<string>(["inspect", "provision", "power", "credentials", "clean", "unreachable"]);

    public bool Fails(string what) => Failures.Contains(what);

    /// <summary>
    /// <c>agent=ramdisk</c>: the fake BMC powers nothing, but the host runs the real ramdisk agent (a VM the caller
    /// started itself), so the agent can be tested end to end without a BMC simulator.
    /// </summary>
    public static bool WantsRamdiskAgent(Metal3.Core.Bmc.BmcAddress address) =>
        HttpUtility.ParseQueryString(address.Query)["agent"] == "ramdisk";

    public static FakeOptions Parse(string query)
    {
        var values = HttpUtility.ParseQueryString(query);
        int delayMs = int.TryParse(values["delayMs"], out int d) && d >= 0 ? d : 0;
        var failures = (values.GetValues("fail") ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(KnownFailures.Contains)
            .ToHashSet(StringComparer.Ordinal);
        int callMs = int.TryParse(values["callMs"], out int c) && c >= 0 ? c : 0;
        return new FakeOptions(TimeSpan.FromMilliseconds(delayMs), failures) { CallTime = TimeSpan.FromMilliseconds(callMs) };
    }
}
