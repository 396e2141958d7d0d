using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metal3.Contracts.Api;

/// <summary>Compile-time JSON code for the API's bodies: a list of a thousand hosts is a megabyte of JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HostRequest))]
[JsonSerializable(typeof(HostResponse))]
[JsonSerializable(typeof(ListResponse<HostResponse>))]
[JsonSerializable(typeof(HostListResponse))]
[JsonSerializable(typeof(HostWatchEventResponse))]
[JsonSerializable(typeof(HostEventResponse))]
[JsonSerializable(typeof(ListResponse<HostEventResponse>))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(ClaimResponse))]
[JsonSerializable(typeof(ListResponse<ClaimResponse>))]
[JsonSerializable(typeof(ClaimEventResponse))]
[JsonSerializable(typeof(ListResponse<ClaimEventResponse>))]
[JsonSerializable(typeof(HostSetRequest))]
[JsonSerializable(typeof(HostSetResponse))]
[JsonSerializable(typeof(ListResponse<HostSetResponse>))]
[JsonSerializable(typeof(HostSetEventResponse))]
[JsonSerializable(typeof(ListResponse<HostSetEventResponse>))]
[JsonSerializable(typeof(DiscoveredMachineResponse))]
[JsonSerializable(typeof(ListResponse<DiscoveredMachineResponse>))]
[JsonSerializable(typeof(DiscoveredEnrollRequest))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ListResponse<TokenResponse>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
