using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Metal3.Pxe;

/// <summary>Socket set-up shared by the servers.</summary>
internal static class SocketBinding
{
    private const int SolSocket = 1;        // <sys/socket.h>
    private const int SoBindToDevice = 25;  // Linux: restrict the socket to one interface

    /// <summary>
    /// Binds to one interface only (SO_BINDTODEVICE), so that a DHCP server bound to 0.0.0.0 (needed to hear
    /// broadcasts) still never answers on another network.
    /// </summary>
    public static void BindToDevice(Socket socket, string? interfaceName)
    {
        if (string.IsNullOrEmpty(interfaceName))
        {
            return;
        }
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("binding to an interface needs Linux SO_BINDTODEVICE");
        }
        var name = Encoding.ASCII.GetBytes(interfaceName + "\0");
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }

    public static Socket Udp(IPEndPoint local, string? interfaceName, int bufferBytes, bool broadcast = false)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.ReceiveBufferSize = bufferBytes;
            socket.SendBufferSize = bufferBytes;
            if (broadcast)
            {
                socket.EnableBroadcast = true;
            }
            BindToDevice(socket, interfaceName);
            socket.Bind(local);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
