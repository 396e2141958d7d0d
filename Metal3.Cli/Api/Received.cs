using System.Text.Json.Nodes;

namespace Metal3.Cli.Api;

/// <summary>
/// An object the daemon sent: the typed view the CLI reads (<see cref="DaemonJson"/>), and the JSON itself, which
/// -o json|yaml prints unchanged, with the fields this metal3ctl does not know.
/// </summary>
public sealed record Received<T>(T Value, JsonObject Json);
