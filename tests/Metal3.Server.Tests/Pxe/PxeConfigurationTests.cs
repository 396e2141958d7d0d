using System.Net;
using Metal3.Pxe;
using Metal3.Server.Pxe;
using Microsoft.Extensions.Configuration;

namespace Metal3.Server.Tests.Pxe;

/// <summary><c>Metal3:Pxe</c> as an operator writes it: off unless an interface is set, and every mistake named at start-up.</summary>
public sealed class PxeConfigurationTests
{
    private static readonly string Root = Directory.CreateTempSubdirectory("metal3-pxe-root-").FullName;

    /// <summary>Later settings override earlier ones, as a command line overrides appsettings.json.</summary>
    private static PxeHosting Read(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values["Metal3:Pxe:" + key] = value;
        }
        return PxeConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "/var/lib/metal3");
    }

    private static string Refused(params (string, string)[] settings) =>
        Assert.Throws<InvalidOperationException>(() => Read(settings)).Message;

    /// <summary>The loopback interface stands in for the provisioning NIC: it exists everywhere, with 127.0.0.1/8.</summary>
    private static (string, string)[] Full(params (string, string)[] more) =>
    [
        ("Interface", "lo"), ("HttpUrl", "http://127.0.0.1:8080"), ("Tftp:Root", Root), ("Dhcp:Mode", "full"),
        ("Dhcp:RangeStart", "127.0.0.100"), ("Dhcp:RangeEnd", "127.0.0.200"), .. more,
    ];

    [Fact]
    public void Without_an_interface_nothing_starts()
    {
        var pxe = Read(("Dhcp:Mode", "off"), ("Tftp:Root", "/nonexistent"));

        Assert.False(pxe.Enabled);
        Assert.False(pxe.RunsDhcp);
        Assert.Null(pxe.HttpUrl);
    }

    [Fact]
    public void Dhcp_without_an_interface_is_refused_rather_than_ignored()
    {
        var message = Refused(("Dhcp:Mode", "full"), ("HttpUrl", "http://198.18.0.1:8080"));

        Assert.Contains("Metal3:Pxe:Dhcp:Mode is set but Metal3:Pxe:Interface is not", message);
        Assert.DoesNotContain("HttpUrl", message);
    }

    [Fact]
    public void A_listener_without_an_interface_runs_alone_for_virtual_media()
    {
        var pxe = Read(("HttpUrl", "http://198.18.0.1:8080"), ("Tftp:Root", "/nonexistent"), ("AgentKernelArgs", "console=ttyS0"));

        Assert.Equal(new Uri("http://198.18.0.1:8080"), pxe.HttpUrl);
        Assert.False(pxe.Enabled);
        Assert.False(pxe.RunsDhcp);
        Assert.Equal("console=ttyS0", pxe.AgentKernelArgs);
        Assert.Equal("/var/lib/metal3/ramdisk/initramfs", pxe.AgentInitramfs);
        Assert.Equal("/var/lib/metal3/agent-iso", pxe.AgentIsoDir);
    }

    [Fact]
    public void A_listener_alone_still_needs_a_usable_url()
    {
        var message = Refused(("HttpUrl", "http://provisioning.example:8080"));

        Assert.Contains("Metal3:Pxe:HttpUrl 'http://provisioning.example:8080' must be http://<IPv4 address>:<port>", message);
    }

    [Fact]
    public void A_full_configuration_takes_address_and_mask_from_the_interface_and_normalises_reservations()
    {
        var pxe = Read(Full(("Dhcp:DnsServers", "127.0.0.53, 127.0.0.54"), ("Dhcp:Reservations:52-54-00-AB-CD-01", "127.0.0.20"),
            ("Dhcp:LeaseSeconds", "600"), ("Dhcp:Discovery", "true"), ("AgentKernelArgs", "console=ttyS0")));

        Assert.True(pxe.RunsDhcp);
        Assert.Equal(DhcpMode.Full, pxe.Options.Dhcp.Mode);
        Assert.Equal(IPAddress.Loopback, pxe.Address);
        Assert.Equal(IPAddress.Parse("255.0.0.0"), pxe.Options.Dhcp.SubnetMask);
        Assert.Equal(IPAddress.Parse("127.0.0.20"), pxe.Options.Dhcp.Reservations["52:54:00:ab:cd:01"]);
        Assert.Equal(["127.0.0.53", "127.0.0.54"], pxe.Options.Dhcp.DnsServers.Select(a => a.ToString()));
        Assert.Equal(600, pxe.Options.Dhcp.LeaseSeconds);
        Assert.True(pxe.Options.Dhcp.Discovery);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), pxe.HttpUrl);
        Assert.Equal("/var/lib/metal3/ramdisk/vmlinuz", pxe.AgentKernel);
        Assert.Equal("/var/lib/metal3/ramdisk/initramfs", pxe.AgentInitramfs);
        Assert.Equal("/var/lib/metal3/images", pxe.ImagesDir);
        Assert.Equal("console=ttyS0", pxe.AgentKernelArgs);
    }

    [Fact]
    public void Tftp_alone_runs_on_an_interface_without_dhcp()
    {
        var pxe = Read(("Interface", "lo"), ("Tftp:Root", Root), ("Tftp:Port", "6969"));

        Assert.True(pxe.Enabled);
        Assert.False(pxe.RunsDhcp);
        Assert.Equal(6969, pxe.Options.Tftp.Port);
    }

    [Fact]
    public void Tftp_max_sessions_per_client_defaults_to_eight_and_must_be_a_share_of_the_table()
    {
        Assert.Equal(8, Read(("Interface", "lo"), ("Tftp:Root", Root)).Options.Tftp.MaxSessionsPerClient);
        Assert.Equal(2, Read(("Interface", "lo"), ("Tftp:Root", Root), ("Tftp:MaxSessionsPerClient", "2")).Options.Tftp.MaxSessionsPerClient);

        Assert.Contains("Metal3:Pxe:Tftp:MaxSessionsPerClient must be a whole number from 1 to 1024, not '0'",
            Refused(("Interface", "lo"), ("Tftp:Root", Root), ("Tftp:MaxSessionsPerClient", "0")));
        Assert.Contains("Metal3:Pxe:Tftp:MaxSessionsPerClient must be a whole number from 1 to 1024, not '2000'",
            Refused(("Interface", "lo"), ("Tftp:Root", Root), ("Tftp:MaxSessionsPerClient", "2000")));
    }

    [Fact]
    public void Dhcp_known_clients_only_is_off_unless_set_and_must_be_true_or_false()
    {
        Assert.False(Read(Full()).Options.Dhcp.KnownClientsOnly);
        Assert.True(Read(Full(("Dhcp:KnownClientsOnly", "true"))).Options.Dhcp.KnownClientsOnly);

        Assert.Contains("Metal3:Pxe:Dhcp:KnownClientsOnly must be true or false, not 'yes'", Refused(Full(("Dhcp:KnownClientsOnly", "yes"))));
    }

    [Fact]
    public void Every_mistake_is_named_with_its_key_in_one_message()
    {
        var message = Refused(("Interface", "lo"), ("Tftp:Root", "/nonexistent/ipxe"), ("Dhcp:Mode", "full"),
            ("Dhcp:RangeStart", "10.0.0.10"), ("Dhcp:RangeEnd", "10.0.0.300"), ("Dhcp:Router", "gateway"),
            ("Dhcp:Reservations:not-a-mac", "127.0.0.5"), ("Dhcp:LeaseSeconds", "0"));

        Assert.Contains("Metal3:Pxe:Dhcp:RangeEnd '10.0.0.300' is not an IPv4 address", message);
        Assert.Contains("Metal3:Pxe:Dhcp:Router 'gateway' is not an IPv4 address", message);
        Assert.Contains("Metal3:Pxe:Dhcp:Reservations:not-a-mac: not a MAC address", message);
        Assert.Contains("Metal3:Pxe:Dhcp:LeaseSeconds must be a whole number", message);
        Assert.Contains("Metal3:Pxe:Tftp:Root '/nonexistent/ipxe' is not a directory", message);
        Assert.Contains("Metal3:Pxe:Dhcp:Mode=full needs Metal3:Pxe:HttpUrl", message);
    }

    [Fact]
    public void A_range_outside_the_servers_subnet_or_backwards_or_over_the_server_is_refused()
    {
        Assert.Contains("Metal3:Pxe:Dhcp:RangeStart 10.0.0.10 is outside the server's subnet 127.0.0.1/255.0.0.0",
            Refused(Full(("Dhcp:RangeStart", "10.0.0.10"))));
        Assert.Contains("RangeStart 127.0.0.200 is after RangeEnd 127.0.0.100",
            Refused(Full(("Dhcp:RangeStart", "127.0.0.200"), ("Dhcp:RangeEnd", "127.0.0.100"))));
        Assert.Contains("includes the server's own address 127.0.0.1",
            Refused(Full(("Dhcp:RangeStart", "127.0.0.1"))));
        Assert.Contains("Metal3:Pxe:Dhcp:Mode=full needs Metal3:Pxe:Dhcp:RangeStart and Metal3:Pxe:Dhcp:RangeEnd",
            Refused(("Interface", "lo"), ("HttpUrl", "http://127.0.0.1:8080"), ("Tftp:Root", Root), ("Dhcp:Mode", "full")));
    }

    [Theory]
    [InlineData("http://pxe.example:8080")]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://127.0.0.1:8080/boot")]
    [InlineData("127.0.0.1:8080")]
    public void The_provisioning_url_must_be_plain_http_to_an_ipv4_address(string url)
    {
        Assert.Contains($"Metal3:Pxe:HttpUrl '{url}' must be http://<IPv4 address>:<port>", Refused(Full(("HttpUrl", url))));
    }

    [Fact]
    public void An_unknown_interface_or_mode_is_refused()
    {
        Assert.Contains("Metal3:Pxe:Interface 'nosuch0' does not exist on this machine", Refused(("Interface", "nosuch0"), ("Tftp:Root", Root)));
        Assert.Contains("Metal3:Pxe:Dhcp:Mode must be off, full or proxy, not 'on'", Refused(Full(("Dhcp:Mode", "on"))));
    }
}
