namespace Metal3.Pxe.VirtualMedia;

/// <summary>
/// The agent ISO's <c>boot/grub/grub.cfg</c>, the same for BIOS and UEFI (grub-mkrescue puts one GRUB of each on the
/// ISO, and both read this file): no menu, the agent's kernel and initramfs with the kernel line at once.
/// </summary>
public static class GrubConfig
{
    public const string KernelPath = "/agent/vmlinuz";
    public const string InitramfsPath = "/agent/initramfs";

    /// <summary>
    /// The kernel line goes into GRUB's script language unquoted, so anything GRUB would read as syntax (quotes, <c>$</c>,
    /// <c>;</c>, braces, new lines) is refused rather than escaped: URLs, addresses and console settings never need it.
    /// </summary>
    public static string Render(string kernelArgs)
    {
        if (kernelArgs.FirstOrDefault(c => !IsPlain(c)) is var bad and not '\0')
        {
            throw new ArgumentException($"the agent's kernel line may not hold '{bad}' (letters, digits, spaces and ._,:/=+@%- only): '{kernelArgs}'",
                nameof(kernelArgs));
        }
        return $$"""
            set default=0
            set timeout=0
            menuentry "metal3 deploy agent" {
              linux {{KernelPath}} {{kernelArgs}}
              initrd {{InitramfsPath}}
            }

            """;
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || " ._,:/=+@%-".Contains(c);
}
