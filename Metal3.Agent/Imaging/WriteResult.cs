using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Metal3.Core.Hosts;
using Microsoft.Win32.SafeHandles;

namespace Metal3.Agent.Imaging;

/// <summary>What was written: the raw bytes on the disk, and how often the download had to resume.</summary>
public sealed record WriteResult(long BytesWritten, ImageFormat Format, int Resumes);
