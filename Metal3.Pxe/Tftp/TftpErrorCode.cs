using System.Text;

namespace Metal3.Pxe.Tftp;

/// <summary>RFC 1350 appendix error codes; 8 from RFC 2347.</summary>
public enum TftpErrorCode : ushort
{
    NotDefined        = 0,
    FileNotFound      = 1,
    AccessViolation   = 2,
    DiskFull          = 3,
    IllegalOperation  = 4,
    UnknownTransferId = 5,
    FileExists        = 6,
    NoSuchUser        = 7,
    OptionsRefused    = 8,
}
