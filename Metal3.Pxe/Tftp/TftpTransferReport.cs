using System.Net;

namespace Metal3.Pxe.Tftp;

public enum TftpTransferOutcome
{
    Completed,
    /// <summary>The client sent an ERROR (OVMF does after reading tsize) or went away.</summary>
    ClientAborted,
    /// <summary>No ACK after the configured retries.</summary>
    TimedOut,
    /// <summary>The server stopped.</summary>
    Stopped,
    /// <summary>A local failure (the file could not be read); logged.</summary>
    Failed,
}

/// <summary>How one transfer went. <see cref="BlocksSent"/> beyond the file's block count are retransmissions.</summary>
public sealed record TftpTransferReport(
    IPEndPoint Client, string File, int BlockSize, int WindowSize, long Bytes, long BlocksSent, int Timeouts, TftpTransferOutcome Outcome);
