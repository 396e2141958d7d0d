using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Metal3.Testing;

/// <summary>How to start the daemon as a process: where its data is, which database, where it runs and listens.</summary>
public sealed record DaemonOptions(string DataDir)
{
    /// <summary>A PostgreSQL connection string; SQLite in <see cref="DataDir"/> when null.</summary>
    public string? Postgres { get; init; }

    /// <summary>
    /// A network namespace to run in (<c>ip netns exec</c>), as on a provisioning node whose DHCP and TFTP must stay off
    /// the machine's own networks. The API then listens on a Unix socket: the one door between the test outside the
    /// namespace and the daemon inside it that touches no interface.
    /// </summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The API on <c>&lt;DataDir&gt;/api.sock</c> instead of a loopback port (always so in a namespace).</summary>
    public bool UnixSocket { get; init; }

    /// <summary>More command-line settings (<c>--Metal3:… value</c> pairs).</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>Where its stdout and stderr go (appended); <c>&lt;DataDir&gt;/daemon.log</c> unless given.</summary>
    public string? LogFile { get; init; }

    public TimeSpan ReadyWithin { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The daemon's executable (a self-contained build, as the Debian package installs it); null runs the build
    /// output with <c>dotnet Metal3.Server.dll</c>.
    /// </summary>
    public string? Program { get; init; }

    /// <summary>Environment variables set for the daemon (over the test's own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
