using Metal3.Core.Provisioning;

namespace Metal3.Pxe.Ipxe;

/// <summary>Where the agent ramdisk is and where it reports to.</summary>
/// <param name="KernelUrl">e.g. http://198.18.0.1:8080/images/agent/vmlinuz</param>
/// <param name="InitramfsUrl">e.g. http://198.18.0.1:8080/images/agent/initramfs</param>
/// <param name="ApiUrl">The provisioning listener the agent calls (<c>metal3.api=</c>).</param>
/// <param name="ExtraKernelArgs">Appended verbatim, e.g. "console=ttyS0,115200".</param>
public sealed record AgentBoot(Uri KernelUrl, Uri InitramfsUrl, Uri ApiUrl, string ExtraKernelArgs = "");
