using System.Security.Cryptography;
using System.Threading.Channels;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Imaging;

/// <summary>What was written: the raw bytes on the disk, and how often the download had to resume.</summary>
public sealed record WriteResult(long BytesWritten, ImageFormat Format, int Resumes);
