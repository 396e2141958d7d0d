namespace Metal3.Core.Hosts;

/// <summary>Host names are RFC 1123 DNS labels, as Kubernetes object names are.</summary>
public static class HostName
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }
        if (!IsAlnum(name[0]) || !IsAlnum(name[^1]))
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!IsAlnum(c) && c != '-')
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
