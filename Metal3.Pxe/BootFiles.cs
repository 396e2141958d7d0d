namespace Metal3.Pxe;

/// <summary>TFTP names of the iPXE binaries handed to firmware that is not iPXE yet.</summary>
public sealed record BootFiles
{
    public string Bios { get; init; } = "undionly.kpxe";
    /// <summary>x64 UEFI. snponly.efi drives the NIC through the firmware's SNP, so it works wherever the firmware's PXE did.</summary>
    public string EfiX64 { get; init; } = "snponly.efi";
    public string EfiArm64 { get; init; } = "snponly-arm64.efi";
    /// <summary>Path under <see cref="PxeOptions.HttpUrl"/> for UEFI HTTP boot, which fetches an EFI binary, not a script.</summary>
    public string HttpBootPath { get; init; } = "/boot/snponly.efi";
    /// <summary>Path and query for iPXE; iPXE expands <c>${net0/mac}</c> in the file name before fetching it.</summary>
    public string IpxeScriptPath { get; init; } = "/boot/ipxe?mac=${net0/mac}";
}
