using System.Security.Cryptography;
using System.Text;

namespace Metal3.Server.Agent;

/// <summary>Agent tokens: 256 random bits, sent once to the agent; only their SHA-256 is stored.</summary>
public static class AgentTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
