using System.Net;
using System.Net.Sockets;
using System.Text;
using Metal3.Pxe.Tests.Support;

namespace Metal3.Pxe.Tests.Tftp;

public sealed class TftpServerFuzzTests(TftpFixture tftp) : IClassFixture<TftpFixture>
{
    [Fact]
    public async Task After_twenty_thousand_hostile_datagrams_the_server_still_serves_a_real_client()
    {
        var client = Run.Require("atftp", "atftp");
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, tftp.Port);
        var random = new Random(6);
        var rrq = Encoding.ASCII.GetBytes("\0\u0001big.bin\0octet\0blksize\01468\0windowsize\08\0");
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram;
            if (i % 2 == 0)
            {
                datagram = new byte[random.Next(0, 600)];
                random.NextBytes(datagram);
            }
            else
            {
                // A real request with a few bytes changed: opcode, names, zeros and option values all get hit.
                datagram = (byte[])rrq.Clone();
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                }
            }
            await udp.SendAsync(datagram, target);
        }

        var output = Path.Combine(Path.GetTempPath(), "metal3-tftp-fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await Run.Async(client, ["--option", "blksize 1468", "-g", "-r", TftpFixture.Big, "-l", output, "127.0.0.1", tftp.Port.ToString()], TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Equal(tftp.Sha256(TftpFixture.Big), TftpFixture.Sha256Of(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
