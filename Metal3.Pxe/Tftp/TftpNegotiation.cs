using System.Globalization;

namespace Metal3.Pxe.Tftp;

/// <summary>RFC 2347 option negotiation for a read request: a pure function of the request, the file size and our limits.</summary>
public static class TftpNegotiation
{
    public const int DefaultBlockSize = 512;   // RFC 1350 §2

    public static TftpTransferParameters ForRead(TftpRequest request, long fileSize, TftpOptions limits)
    {
        int blockSize = DefaultBlockSize;
        int windowSize = 1;
        var timeout = TimeSpan.FromSeconds(limits.TimeoutSeconds);
        var acknowledged = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in request.Options)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                continue;   // RFC 2347 §3: options the server does not understand or accept are simply left out of the OACK
            }
            switch (name)
            {
                // RFC 2348: 8..65464; the server may answer with a smaller value, never a larger one.
                case "blksize" when n >= 8:
                    blockSize = (int)Math.Min(n, limits.MaxBlockSize);
                    acknowledged.Add(new(name, blockSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                // RFC 2349: 1..255 seconds, and an OACK must carry the client's own value: a server cannot answer a
                // smaller one. Above our maximum we leave the option out (RFC 2347 §3 lets a server ignore any option)
                // and keep our default, so a spoofed request for 255 s cannot hold its slot for half an hour.
                case "timeout" when n >= 1 && n <= Math.Min(255, limits.MaxTimeoutSeconds):
                    timeout = TimeSpan.FromSeconds(n);
                    acknowledged.Add(new(name, value));
                    break;
                // RFC 2349 §4: in a read request the client sends 0 and the server answers the size.
                case "tsize":
                    acknowledged.Add(new(name, fileSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                // RFC 7440 §3: 1..65535; the server may answer with a smaller value.
                case "windowsize" when n is >= 1 and <= 65535:
                    windowSize = (int)Math.Min(n, limits.MaxWindowSize);
                    acknowledged.Add(new(name, windowSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                default:
                    break;
            }
        }
        return new TftpTransferParameters(blockSize, timeout, windowSize, acknowledged);
    }
}
