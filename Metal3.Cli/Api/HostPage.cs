using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Connection;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>A page of hosts and the resource version it was read at (where a watch resumes).</summary>
public sealed record HostPage(IReadOnlyList<JsonObject> Items, string? ResourceVersion);
