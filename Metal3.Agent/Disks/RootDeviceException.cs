namespace Metal3.Agent.Disks;

public sealed class RootDeviceException(string message) : Exception(message);
