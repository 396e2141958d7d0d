namespace Metal3.Core.Hosts;

/// <summary>48-bit MAC addresses as the API stores them: lower case, colon separated.</summary>
public static class MacAddress
{
    /// <summary>Accepts six hex pairs separated all by ':' or all by '-', in any case.</summary>
    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = "";
        if (input is null || input.Length != 17)
        {
            return false;
        }
        char separator = input[2];
        if (separator is not (':' or '-'))
        {
            return false;
        }
        Span<char> result = stackalloc char[17];
        for (int i = 0; i < 17; i++)
        {
            char c = input[i];
            if (i % 3 == 2)
            {
                if (c != separator)
                {
                    return false;
                }
                result[i] = ':';
            }
            else
            {
                if (!Uri.IsHexDigit(c))
                {
                    return false;
                }
                result[i] = char.ToLowerInvariant(c);
            }
        }
        normalized = new string(result);
        return true;
    }
}
