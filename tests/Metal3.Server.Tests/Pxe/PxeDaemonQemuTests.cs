using Metal3.Pxe.Tests.Support;

namespace Metal3.Server.Tests.Pxe;

/// <summary>
/// QEMU machines (TCG) on the lab's bridge boot from the daemon: the daemon's DHCP, TFTP and provisioning listener take
/// them to <c>GET /boot/ipxe?mac=&lt;their MAC&gt;</c>, which the daemon logs with the host it found and what the script boots.
/// </summary>
[Collection(PxeDaemonCollection.Name)]
public sealed class PxeDaemonQemuTests(PxeDaemonLab lab)
{
    private static readonly TimeSpan BootDeadline = TimeSpan.FromSeconds(240);

    /// <summary>OVMF's own PXE (no iPXE ROM): DHCP → TFTP snponly.efi → iPXE → DHCP again → HTTP script.</summary>
    [Fact]
    public async Task A_uefi_machine_reaches_its_ipxe_script_through_the_daemons_dhcp_and_tftp()
    {
        Assert.True(File.Exists("/usr/share/OVMF/OVMF_CODE_4M.fd"), "apt-get install ovmf");
        var vars = Path.Combine(lab.Work, "uefi-vars.fd");
        File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars, overwrite: true);

        await BootAsync("uefi", PxeDaemonLab.UefiVmMac, "worker-uefi",
            "-machine", "q35,accel=tcg", "-uuid", "11111111-2222-3333-4444-000000001003",
            "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", "-drive", $"if=pflash,format=raw,file={vars}",
            "-device", $"virtio-net-pci,netdev=n0,mac={PxeDaemonLab.UefiVmMac},bootindex=1,romfile=");

        Assert.Matches($@"TFTP \S+ reads snponly\.efi", lab.Log());
        await WaitForEventsAsync("worker-uefi", "DhcpOffered", "DhcpAcked", "TftpTransferred", "BootScriptServed");
    }

    /// <summary>SeaBIOS with Debian's iPXE ROM (ipxe-qemu): iPXE asks DHCP itself and is sent straight to the script URL.</summary>
    [Fact]
    public async Task A_bios_machine_with_the_ipxe_rom_reaches_its_ipxe_script_through_the_daemons_dhcp()
    {
        Assert.True(File.Exists("/usr/lib/ipxe/qemu/efi-virtio.rom") || File.Exists("/usr/share/qemu/efi-virtio.rom"), "apt-get install ipxe-qemu");

        await BootAsync("bios", PxeDaemonLab.BiosVmMac, "worker-bios",
            "-machine", "pc,accel=tcg", "-uuid", "11111111-2222-3333-4444-000000001004",
            "-device", $"virtio-net-pci,netdev=n0,mac={PxeDaemonLab.BiosVmMac},bootindex=1");

        await WaitForEventsAsync("worker-bios", "DhcpOffered", "DhcpAcked", "BootScriptServed");
    }

    /// <summary>The boot timeline: the daemon recorded the machine's steps as host events, readable through the API.</summary>
    private async Task WaitForEventsAsync(string host, params string[] reasons)
    {
        string events = "";
        await Eventually.Until(() =>
        {
            events = lab.Api.GetStringAsync($"/api/v1/hosts/{host}/events?limit=1000").GetAwaiter().GetResult();
            return reasons.All(r => events.Contains($"\"reason\":\"{r}\"", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(20), () => $"events {string.Join(", ", reasons)} of {host}: {events}");
        Assert.Contains("iPXE script served: boot the agent", events);
    }

    private async Task BootAsync(string name, string mac, string host, params string[] machine)
    {
        var qemu = Run.Require("qemu-system-x86_64", "qemu-system-x86");
        var tap = lab.Net.AddTap();
        var log = Path.Combine(lab.Work, $"qemu-{name}.log");
        var vm = lab.Net.Start(lab.Net.Name, log, [qemu, .. machine, "-cpu", "max", "-m", "256", "-smp", "1", "-display", "none",
            "-nodefaults", "-no-user-config", "-monitor", "none", "-serial", "none",
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no"]);
        try
        {
            string served = $"iPXE script for {mac} ({host}): agent";
            await Eventually.Until(() => lab.Log().Contains(served, StringComparison.Ordinal), BootDeadline,
                () => $"the {name} machine to fetch /boot/ipxe?mac={mac} (qemu exited: {vm.HasExited}: {File.ReadAllText(log)})\ndaemon log:\n{lab.Tail(80)}");
            // It got there through our DHCP: an ACK to its MAC with an address from the pool.
            Assert.Matches($@"DHCP Ack to {mac} xid \w+: 198\.18\.0\.1[0-4][0-9]", lab.Log());
        }
        finally
        {
            if (!vm.HasExited)
            {
                vm.Kill(entireProcessTree: true);
                await vm.WaitForExitAsync();
            }
        }
    }
}
