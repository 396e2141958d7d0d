using Metal3.Pxe.VirtualMedia;

namespace Metal3.Pxe.Tests.VirtualMedia;

public sealed class GrubConfigTests
{
    [Fact]
    public void The_agent_boots_at_once_with_the_kernel_line()
    {
        string cfg = GrubConfig.Render("metal3.api=http://198.18.0.1:8080 console=ttyS0,115200");

        Assert.Contains("set timeout=0", cfg);
        Assert.Contains("  linux /agent/vmlinuz metal3.api=http://198.18.0.1:8080 console=ttyS0,115200\n", cfg);
        Assert.Contains("  initrd /agent/initramfs\n", cfg);
    }

    [Theory]
    [InlineData("console=ttyS0; reboot")]
    [InlineData("metal3.api=$url")]
    [InlineData("a\nmenuentry")]
    [InlineData("x=\"y\"")]
    public void Grub_syntax_in_the_kernel_line_is_refused(string args)
    {
        var e = Assert.Throws<ArgumentException>(() => GrubConfig.Render(args));
        Assert.Contains("may not hold", e.Message);
    }
}
