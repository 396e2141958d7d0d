using System.Buffers.Binary;

namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>Set Session Privilege Level (App 3Bh, IPMI v2.0 §22.18) and Close Session (App 3Ch, §22.19).</summary>
internal static class SessionCommands
{
    // An RMCP+ session starts at USER level whatever RAKP asked for (§13.14); this raises it.
    public static byte[] SetPrivilegeRequest(byte privilege) => [privilege];

    // Close Session: the managed system's session id (4, LE).
    public static byte[] CloseSessionRequest(uint managedSessionId)
    {
        var d = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(d, managedSessionId);
        return d;
    }
}
