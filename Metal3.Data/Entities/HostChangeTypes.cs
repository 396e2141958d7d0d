namespace Metal3.Data.Entities;

/// <summary>The change types, as the watch API names its events (Kubernetes' names).</summary>
public static class HostChangeTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}
