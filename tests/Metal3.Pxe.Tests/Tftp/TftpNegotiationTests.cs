using Metal3.Pxe.Tftp;

namespace Metal3.Pxe.Tests.Tftp;

/// <summary>
/// The negotiation as bytes on the wire: a read request in, the OACK out (empty: none, a plain RFC 1350 transfer), and
/// the timeout the transfer runs with. The requests are what a client sends for undionly.kpxe (70,144 bytes here).
/// </summary>
public sealed class TftpNegotiationTests
{
    private const long FileSize = 70_144;

    [Theory]
    // timeout=255 tsize=0 blksize=1468: timeout is left out of the OACK (RFC 2349 allows no smaller answer), we keep 1 s.
    [InlineData("0001756E64696F6E6C792E6B707865006F637465740074696D656F757400323535007473697A65003000626C6B73697A65003134363800",
        5, "00067473697A6500373031343400626C6B73697A65003134363800", 1)]
    // timeout=255 alone: nothing to acknowledge, so no OACK at all; DATA block 1 comes first, after 1 s resent.
    [InlineData("0001756E64696F6E6C792E6B707865006F637465740074696D656F75740032353500", 5, "", 1)]
    // timeout=5, our maximum: echoed as asked, and used.
    [InlineData("0001756E64696F6E6C792E6B707865006F637465740074696D656F7574003500", 5, "000674696D656F7574003500", 5)]
    // timeout=6 blksize=1468: one over the maximum is refused like 255.
    [InlineData("0001756E64696F6E6C792E6B707865006F637465740074696D656F7574003600626C6B73697A65003134363800",
        5, "0006626C6B73697A65003134363800", 1)]
    // The same request where the operator allows 6 s: echoed.
    [InlineData("0001756E64696F6E6C792E6B707865006F637465740074696D656F7574003600626C6B73697A65003134363800",
        6, "000674696D656F7574003600626C6B73697A65003134363800", 6)]
    public void A_timeout_above_our_maximum_is_left_out_of_the_oack_and_ours_is_used(string request, int maxTimeout, string oack, int timeoutSeconds)
    {
        Assert.Equal(TftpParseError.None, TftpPacket.TryParseRequest(Convert.FromHexString(request), out var rrq));

        var p = TftpNegotiation.ForRead(rrq, FileSize, new TftpOptions { TimeoutSeconds = 1, MaxTimeoutSeconds = maxTimeout });

        Assert.Equal(oack, Oack(p));
        Assert.Equal(TimeSpan.FromSeconds(timeoutSeconds), p.Timeout);
    }

    [Fact]
    public void Without_a_timeout_option_the_transfer_runs_at_our_default()
    {
        var rrq = new TftpRequest(TftpOpcode.ReadRequest, "undionly.kpxe", "octet", []);

        var p = TftpNegotiation.ForRead(rrq, FileSize, new TftpOptions { TimeoutSeconds = 2 });

        Assert.Equal("", Oack(p));
        Assert.Equal(TimeSpan.FromSeconds(2), p.Timeout);
    }

    private static string Oack(TftpTransferParameters p)
    {
        if (p.Acknowledged.Count == 0)
        {
            return "";
        }
        var buffer = new byte[512];
        return Convert.ToHexString(buffer, 0, TftpPacket.WriteOptionAck(buffer, p.Acknowledged));
    }
}
