namespace Metal3.Drivers.Ipmi.Rakp;

/// <summary>RAKP Message 4: the BMC's integrity check value over the session.</summary>
internal sealed record Rakp4(byte Tag, byte Status, uint ConsoleSessionId, byte[] IntegrityCheckValue);
