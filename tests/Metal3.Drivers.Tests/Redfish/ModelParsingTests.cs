using System.Text.Json;
using Metal3.Drivers.Redfish;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>Every payload in every set goes through the driver's models: what a real BMC sent must never break them.</summary>
public sealed class ModelParsingTests
{
    [Theory]
    [MemberData(nameof(Mockups.AllSetData), MemberType = typeof(Mockups))]
    public void Every_file_of_the_set_is_read_by_the_driver_models(string set)
    {
        var files = Directory.EnumerateFiles(Mockups.PathOf(set), "*.json", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var failures = new List<string>();
        foreach (string file in files)
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                foreach (var payload in Payloads(doc.RootElement)) ReadAll(payload);
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(Mockups.Root, file)}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    // A recorded exchange holds its response body as JSON or, for non-JSON answers, as a string.
    private static IEnumerable<JsonElement> Payloads(JsonElement root)
    {
        yield return root;
        if (root.Obj("response") is not { } response) yield break;
        if (response.Obj("body") is { } body) yield return body;
        if (response.Str("body") is { } text && text.TrimStart().StartsWith('{'))
        {
            yield return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>Reads the payload with every model, whatever its type: a model must cope with any JSON.</summary>
    internal static void ReadAll(JsonElement e)
    {
        _ = ServiceRoot.From(e);
        _ = ResourceCollection.From(e);
        _ = RedfishError.From(e)?.Describe();
        var system = ComputerSystem.From(e);
        _ = Manager.From(e);
        var media = VirtualMedia.From(e);
        _ = (media.HasImage, media.IsOptical);
        _ = ActionInfo.From(e);
        var processor = Processor.From(e);
        _ = InventoryMapping.Cpu(system, [processor, processor]);
        var module = MemoryModule.From(e);
        _ = InventoryMapping.RamMebibytes(system, [module, module, module]);
        _ = StorageSubsystem.From(e);
        _ = InventoryMapping.Disk(Drive.From(e));
        foreach (var device in SimpleStorage.From(e).Devices) _ = InventoryMapping.Disk(device);
        var nic = EthernetInterface.From(e);
        _ = InventoryMapping.Nic(nic);
        _ = RedfishTask.From(e)?.Succeeded;
        if (system.Boot is { } boot) _ = BootNames.Device(boot.Target);
    }

    [Fact]
    public void A_system_payload_from_each_vendor_yields_its_power_state_and_reset_types()
    {
        var dl325 = Read("cray-hpe-DL325/Systems/1/index.json");
        Assert.Equal("On", dl325.PowerState);
        Assert.Equal("W/\"1C210906\"", dl325.ETag);
        Assert.Contains("GracefulRestart", dl325.Reset!.AllowableFor("ResetType")!);

        var gigabyte = Read("cray-hpe-Gigabyte/Systems/Self/index.json");
        Assert.Null(gigabyte.Reset!.AllowableFor("ResetType"));
        Assert.Equal("/redfish/v1/Systems/Self/ResetActionInfo", gigabyte.Reset.ActionInfoPath);
        Assert.Equal(["Legacy", "UEFI"], gigabyte.Boot!.AllowedModes!.Order());

        var xl = Read("cray-hpe-XL675d_A100/Systems/1/index.json");
        Assert.False(xl.Boot!.HasMode);
    }

    [Fact]
    public void The_run_together_supermicro_reset_value_still_offers_a_graceful_shutdown()
    {
        var smc = Read("bmclib-fixtures/internal/redfishwrapper/fixtures/smc_1.14.0_systems_1.json");
        var allowed = smc.Reset?.AllowableFor("ResetType");
        Assert.NotNull(allowed);
        Assert.Contains("GracefulShutdownGracefulRestart", allowed);
        var repaired = Metal3.Drivers.Redfish.Quirks.SupermicroQuirks.SplitRunTogetherValues(allowed, ResetTypes.All);
        Assert.Equal(["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn"], repaired);
        Assert.Equal("GracefulShutdown", ResetTypes.Choose(ResetTypes.Preferences(Core.Bmc.PowerAction.SoftOff), repaired));
    }

    private static ComputerSystem Read(string relative)
    {
        string path = Path.Combine(Mockups.Root, relative);
        Assert.True(File.Exists(path), $"{path} is missing");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return ComputerSystem.From(doc.RootElement);
    }
}
