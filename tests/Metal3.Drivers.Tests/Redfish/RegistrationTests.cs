using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish;
using Microsoft.Extensions.DependencyInjection;

namespace Metal3.Drivers.Tests.Redfish;

public sealed class RegistrationTests
{
    [Theory]
    [InlineData("redfish+http")]
    [InlineData("redfish-virtualmedia+http")]
    public async Task The_registry_routes_redfish_and_virtual_media_addresses_to_the_redfish_driver(string scheme)
    {
        await using var server = await RedfishTestServer.StartAsync("sushy-tools-fake-emulator/mockup");
        var services = new ServiceCollection().AddRedfishDriver().BuildServiceProvider();
        var registry = new BmcDriverRegistry(services.GetServices<IBmcDriver>(), []);
        var bmc = registry.Connect(TestDriver.Target($"{scheme}://127.0.0.1:{server.Port}"));

        var media = await bmc.VirtualMedia.EjectMediaAsync(TestDriver.Deadline(), CancellationToken.None);

        Assert.True(media.IsOk, media.ToString());
        Assert.Equal([BmcDriverKind.Redfish, BmcDriverKind.RedfishVirtualMedia], RedfishDriver.Descriptor.Kinds);
        await services.GetRequiredService<RedfishDriver>().DisposeAsync();
    }
}
