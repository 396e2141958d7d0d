using System.Net;
using System.Net.Sockets;
using Metal3.Pxe.Tests.Support;

namespace Metal3.E2E.Lab;

public enum Firmware { Bios, Uefi }
