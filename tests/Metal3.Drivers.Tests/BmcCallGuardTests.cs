using Metal3.Core.Bmc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Drivers.Tests;

public sealed class BmcCallGuardTests
{
    private static readonly BmcCallGuard Guard = new(NullLogger<BmcCallGuard>.Instance);

    private static BmcCall Call()
    {
        Assert.True(BmcAddress.TryParse("redfish+http://bmc-1/redfish/v1/Systems/1", out var address, out _));
        return new BmcCall(address, BmcCapabilities.Power, "get_power", "get power", Changes: false);
    }

    [Fact]
    public async Task What_a_driver_did_not_foresee_becomes_a_bmc_error_naming_the_call_and_the_driver()
    {
        var result = await Guard.InvokeAsync<BmcResult<PowerState>>(Call(), () => throw new KeyNotFoundException("PowerState"), default);

        Assert.Equal(BmcOutcome.BmcError, result.Outcome);
        Assert.Equal("get power failed in the Redfish driver: KeyNotFoundException: PowerState", result.Message);
    }

    [Fact]
    public async Task The_callers_own_cancellation_passes_through()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            Guard.InvokeAsync<BmcResult>(Call(), () => throw new OperationCanceledException(cts.Token), cts.Token));
    }

    [Fact]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_a_bmc_error()
    {
        var result = await Guard.InvokeAsync<BmcResult>(Call(), () => throw new TaskCanceledException("socket gave up"), default);

        Assert.Equal(BmcOutcome.BmcError, result.Outcome);
    }
}
