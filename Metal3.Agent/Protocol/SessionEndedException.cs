using System.Net.Http.Headers;
using System.Net.Http.Json;
using Metal3.Contracts.Agent;

namespace Metal3.Agent.Protocol;

/// <summary>The daemon no longer accepts this agent token (the host moved on, or another lookup happened).</summary>
public sealed class SessionEndedException(string message) : Exception(message);
