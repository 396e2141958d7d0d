using Metal3.Server.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Metal3.Server.Tests.Deploy;

/// <summary>
/// docker-compose.yml and the Dockerfile cannot run here (no Docker engine): check that the YAML parses and says what
/// the deployment depends on.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = Repository.Root;

    [Fact]
    public void The_compose_file_runs_metal3_on_the_host_network_against_its_postgresql()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml")))
        {
            yaml.Load(reader);
        }
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["services"];
        var postgres = (YamlMappingNode)services["postgres"];
        var metal3 = (YamlMappingNode)services["metal3"];

        Assert.Equal("host", Scalar(metal3, "network_mode"));
        Assert.Equal(".", Scalar(metal3, "build"));
        Assert.Equal("service_healthy", Scalar((YamlMappingNode)((YamlMappingNode)metal3["depends_on"])["postgres"], "condition"));
        var environment = (YamlMappingNode)metal3["environment"];
        Assert.Equal("postgres", Scalar(environment, "Metal3__Database__Provider"));
        Assert.Contains("Host=127.0.0.1;Port=${METAL3_DB_PORT:-5432};", Scalar(environment, "ConnectionStrings__Metal3"), StringComparison.Ordinal);
        var added = ((YamlSequenceNode)metal3["cap_add"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
        Assert.Equal(["NET_BIND_SERVICE", "NET_RAW"], added);
        // PostgreSQL publishes its port on loopback only, where metal3 (host network) reaches it.
        Assert.Equal("127.0.0.1:${METAL3_DB_PORT:-5432}:5432", ((YamlScalarNode)((YamlSequenceNode)postgres["ports"]).Children.Single()).Value);
        // Healthy when it serves; stopped as systemd stops it; the ramdisk and the images come from the host.
        var healthcheck = ((YamlSequenceNode)((YamlMappingNode)metal3["healthcheck"])["test"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
        Assert.Equal("http://127.0.0.1:6385/healthz", healthcheck[^1]);
        Assert.Equal("30s", Scalar(metal3, "stop_grace_period"));
        var mounts = ((YamlSequenceNode)metal3["volumes"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
        Assert.Contains(mounts, m => m.EndsWith(":/usr/lib/metal3/ramdisk:ro", StringComparison.Ordinal));
        Assert.Equal("/usr/lib/metal3/ramdisk/vmlinuz", Scalar(environment, "Metal3__Pxe__AgentKernel"));
        Assert.Equal("metal3", Scalar((YamlMappingNode)postgres["environment"], "POSTGRES_DB"));
    }

    [Fact]
    public void The_dockerfile_publishes_the_daemon_and_runs_it()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));

        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("dotnet publish Metal3.Server/Metal3.Server.csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, "Metal3.Server", "Metal3.Server.csproj")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/opt/metal3/Metal3.Server.dll\"]", lines);
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
