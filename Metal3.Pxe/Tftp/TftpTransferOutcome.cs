namespace Metal3.Pxe.Tftp;

public enum TftpTransferOutcome
{
    Completed,
    /// <summary>The client sent an ERROR (OVMF does after reading tsize) or went away.</summary>
    ClientAborted,
    /// <summary>No ACK after the configured retries, or no progress for the idle timeout.</summary>
    TimedOut,
    /// <summary>The server stopped.</summary>
    Stopped,
    /// <summary>A local failure (the file could not be read); logged.</summary>
    Failed,
    /// <summary>Dropped before the client acknowledged anything, to make room for a new request (TftpServer).</summary>
    Evicted,
}
