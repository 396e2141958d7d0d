using System.Net;

namespace Metal3.Pxe.Tftp;

/// <summary>How one transfer went. <see cref="BlocksSent"/> beyond the file's block count are retransmissions.</summary>
public sealed record TftpTransferReport(
    IPEndPoint Client, string File, int BlockSize, int WindowSize, long Bytes, long BlocksSent, int Timeouts, TftpTransferOutcome Outcome);
