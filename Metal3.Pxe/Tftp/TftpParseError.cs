using System.Text;

namespace Metal3.Pxe.Tftp;

public enum TftpParseError
{
    None,
    TooShort,
    UnknownOpcode,
    /// <summary>A string field without its terminating zero.</summary>
    Unterminated,
    /// <summary>An option name without a value (RFC 2347 pairs them).</summary>
    OddOptions,
}
