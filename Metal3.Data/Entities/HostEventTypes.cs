namespace Metal3.Data.Entities;

public static class HostEventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
