using Microsoft.Extensions.Logging;
using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi.Transport;

namespace Metal3.Drivers.Ipmi.Session;

/// <summary>What a receiver decided about one datagram: the answer, or why it was dropped.</summary>
internal readonly record struct Verdict<T>(T? Answer, string? DropReason)
    where T : class
{
    public static Verdict<T> Accept(T answer) => new(answer, null);
    public static Verdict<T> Drop(string reason) => new(null, reason);
}
