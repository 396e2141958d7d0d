namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>What Get Channel Authentication Capabilities says about RMCP+.</summary>
internal sealed record ChannelAuthCapabilities(byte Channel, bool SupportsIpmiV20);
