using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>What a client is told to boot: the file (option 67 / file field), where from (siaddr, option 66), and
/// the vendor class to echo (option 60).</summary>
public sealed record BootInfo(string BootFile, IPAddress? NextServer, string VendorClass);
