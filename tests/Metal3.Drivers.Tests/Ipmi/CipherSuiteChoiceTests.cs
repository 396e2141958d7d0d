using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Session;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>When the BMC takes none of our suites, the error says what it offers, and names suite 0 as refused.</summary>
public sealed class CipherSuiteChoiceTests
{
    [Fact]
    public void A_bmc_offering_only_suite_0_is_refused_with_a_clear_error()
    {
        var failure = IpmiSession.ExplainNoSuite([0], 0x04);

        Assert.Equal(BmcOutcome.Unsupported, failure.Outcome);
        Assert.Contains("only cipher suite 0", failure.Message);
        Assert.Contains("refuses", failure.Message);
    }

    [Fact]
    public void A_bmc_offering_other_suites_lists_them()
    {
        var failure = IpmiSession.ExplainNoSuite([0, 1, 2], 0x11);

        Assert.Contains("offers cipher suites 0, 1, 2", failure.Message);
    }

    [Fact]
    public void A_bmc_that_cannot_list_its_suites_gets_the_open_session_status_by_name()
    {
        var failure = IpmiSession.ExplainNoSuite(null, 0x11);

        Assert.Contains("no cipher suite match with proposed security algorithms (0x11)", failure.Message);
    }
}
