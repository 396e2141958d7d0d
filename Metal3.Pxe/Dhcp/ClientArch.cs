namespace Metal3.Pxe.Dhcp;

/// <summary>Client system architecture types (RFC 4578 §2.1 and the IANA registry).</summary>
public enum ClientArch : ushort
{
    X86Bios      = 0,
    EfiIa32      = 6,
    EfiBc        = 7,   // "EFI BC": x64 UEFI in practice (OVMF, iPXE EFI send 7)
    EfiX64       = 9,
    EfiArm32     = 10,
    EfiArm64     = 11,
    EfiX64Http   = 16,
    EfiArm64Http = 19,
}
