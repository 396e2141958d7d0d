using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Output;

public enum OutputFormat { Table, Wide, Json, Yaml }
