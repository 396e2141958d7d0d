namespace Metal3.Pxe.Tftp;

/// <summary>The parameters a transfer runs with, and the options to acknowledge in the OACK (empty: no OACK).</summary>
public sealed record TftpTransferParameters(int BlockSize, TimeSpan Timeout, int WindowSize, IReadOnlyList<KeyValuePair<string, string>> Acknowledged);
