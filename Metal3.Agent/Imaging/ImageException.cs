using Metal3.Core.Hosts;

namespace Metal3.Agent.Imaging;

/// <summary>The image could not be written (download, format, checksum, disk).</summary>
public sealed class ImageException(string message, Exception? inner = null) : Exception(message, inner);
