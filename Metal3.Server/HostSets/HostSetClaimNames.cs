using System.Security.Cryptography;

namespace Metal3.Server.HostSets;

/// <summary>A set's claims are named <c>&lt;set&gt;-&lt;suffix&gt;</c>, with a random suffix as Kubernetes names a ReplicaSet's pods.</summary>
public static class HostSetClaimNames
{
    public const int SuffixLength = 5;

    // No vowels (no words by chance) and no look-alikes (0/o, 1/l).
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A name taken already makes the insert fail on the claims' unique name: the next pass draws another.</summary>
    public static string New(string setName) => setName + "-" + new string(RandomNumberGenerator.GetItems<char>(Alphabet, SuffixLength));
}
