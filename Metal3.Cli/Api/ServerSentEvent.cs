using System.Runtime.CompilerServices;

namespace Metal3.Cli.Api;

/// <summary>One dispatched event of a <c>text/event-stream</c>; <see cref="Id"/> is the last event id seen so far.</summary>
public sealed record ServerSentEvent(string? Id, string Type, string Data);
