using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish;
using Microsoft.Extensions.DependencyInjection;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>The driver as the daemon registers it, with waits shrunk so tests stay fast.</summary>
public static class TestDriver
{
    public static RedfishDriver Create(Action<RedfishOptions>? tweak = null)
    {
        var services = new ServiceCollection().AddRedfishDriver(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(5);
            o.RetryBackoff = TimeSpan.FromMilliseconds(20);
            o.MaxRetryAfter = TimeSpan.FromSeconds(2);
            o.TaskPollInterval = TimeSpan.FromMilliseconds(20);
            o.PowerPollInterval = TimeSpan.FromMilliseconds(20);
            tweak?.Invoke(o);
        });
        return services.BuildServiceProvider().GetRequiredService<RedfishDriver>();
    }

    public static BmcTarget Target(string address, string? username = RedfishTestServer.Username, string? password = RedfishTestServer.Password)
    {
        Assert.True(BmcAddress.TryParse(address, out var parsed, out string error), error);
        return new BmcTarget(parsed, new BmcCredentials(username, password), DisableCertificateVerification: false);
    }

    public static DateTimeOffset Deadline(double seconds = 20) => DateTimeOffset.UtcNow.AddSeconds(seconds);

    /// <summary>Polls until the host reports <paramref name="wanted"/>, as the daemon's next reconcile would.</summary>
    public static async Task WaitForPowerAsync(BmcConnection bmc, PowerState wanted, double seconds = 5)
    {
        var deadline = Deadline(seconds);
        BmcResult<PowerState>? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            last = await bmc.Power.GetPowerAsync(deadline, CancellationToken.None);
            Assert.True(last.IsOk, last.ToString());
            if (last.Value == wanted) return;
            await Task.Delay(20);
        }
        Assert.Fail($"power never became {wanted}; last read {last}");
    }
}
