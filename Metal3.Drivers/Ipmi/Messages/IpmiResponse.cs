namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>A response to one of our requests, as read off the wire.</summary>
internal sealed record IpmiResponse(NetFn NetFn, byte Command, byte Sequence, byte CompletionCode, byte[] Data)
{
    public bool IsOk => CompletionCode == Messages.CompletionCode.Ok;
}
