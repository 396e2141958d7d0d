using System.Net;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>The production socket set-up (SO_BINDTODEVICE, broadcast, large buffers), reached from the tests.</summary>
internal static class SocketBindingForTests
{
    public static System.Net.Sockets.Socket Udp(IPEndPoint endPoint, string device) => SocketBinding.Udp(endPoint, device, 1 << 20, broadcast: true);
}
