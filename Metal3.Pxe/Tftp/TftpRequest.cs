using System.Text;

namespace Metal3.Pxe.Tftp;

/// <summary>A read or write request with its RFC 2347 options (names lower-cased, as they are case-insensitive).</summary>
public sealed record TftpRequest(TftpOpcode Opcode, string FileName, string Mode, IReadOnlyList<KeyValuePair<string, string>> Options);
