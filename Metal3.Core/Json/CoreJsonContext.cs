using System.Text.Json;
using System.Text.Json.Serialization;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Core.Json;

/// <summary>Compile-time JSON code for what is stored in JSON columns (every list and every write reads or writes them).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HostSpec))]
[JsonSerializable(typeof(HostStatus))]
[JsonSerializable(typeof(HostOperation))]
public sealed partial class CoreJsonContext : JsonSerializerContext;
