using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Connection;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>An object the daemon sent: the typed view the CLI reads, and the JSON itself, which -o json|yaml prints unchanged.</summary>
public sealed record Received<T>(T Value, JsonObject Json);
