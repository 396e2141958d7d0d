namespace Metal3.Drivers.Ipmi.Rakp;

/// <summary>RAKP Message 2: the BMC's random number, GUID and its proof that it knows the user's key.</summary>
internal sealed record Rakp2(byte Tag, byte Status, uint ConsoleSessionId, byte[] ManagedRandom, byte[] ManagedGuid, byte[] AuthCode);
