using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Contracts.Agent;

namespace Metal3.Agent.Imaging;

/// <summary>
/// The cloud-init config drive (OpenStack <c>config-2</c> layout: openstack/latest/{meta_data.json, user_data,
/// network_data.json}) in a 64 MiB FAT partition appended at the end of the disk after the image, as Ironic does.
/// The filesystem is made by dosfstools' mkfs.vfat and filled with mtools, so no mount is needed.
/// cloud-init's ConfigDrive source finds it by the label (config-2, any case) on vfat or iso9660.
/// </summary>
public static class ConfigDriveWriter
{
    public const long Size = 64L << 20;
    public const string Label = "CONFIG-2";
    private const long Sector = 512;
    private const long Alignment = 1 << 20;

    public static async Task WriteAsync(string disk, ConfigDriveContent content, CancellationToken ct)
    {
        string image = await BuildAsync(content, ct);
        try
        {
            long start = await AppendPartitionAsync(disk, ct);
            using var source = File.OpenHandle(image, FileMode.Open, FileAccess.Read);
            using var target = File.OpenHandle(disk, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            byte[] buffer = new byte[1 << 20];
            for (long offset = 0; offset < Size; offset += buffer.Length)
            {
                int n = RandomAccess.Read(source, buffer, offset);
                RandomAccess.Write(target, buffer.AsSpan(0, n), start + offset);
            }
            using var fs = new FileStream(target, FileAccess.ReadWrite);
            fs.Flush(flushToDisk: true);
        }
        finally
        {
            File.Delete(image);
        }
    }

    /// <summary>A FAT image file holding the config drive's files.</summary>
    public static async Task<string> BuildAsync(ConfigDriveContent content, CancellationToken ct)
    {
        string image = Path.Combine(Path.GetTempPath(), $"metal3-configdrive-{Guid.NewGuid():N}.img");
        string files = Directory.CreateTempSubdirectory("metal3-configdrive-").FullName;
        try
        {
            await Run("mkfs.vfat", ["-n", Label, "-C", image, (Size / 1024).ToString()], ct);
            await Run("mmd", ["-i", image, "::openstack", "::openstack/latest"], ct);
            await File.WriteAllTextAsync(Path.Combine(files, "meta_data.json"), MetaData(content), ct);
            var copies = new List<string> { Path.Combine(files, "meta_data.json") };
            if (content.UserData is { } userData)
            {
                await File.WriteAllTextAsync(Path.Combine(files, "user_data"), userData, new UTF8Encoding(false), ct);
                copies.Add(Path.Combine(files, "user_data"));
            }
            if (content.NetworkData is { } networkData)
            {
                await File.WriteAllTextAsync(Path.Combine(files, "network_data.json"), networkData, new UTF8Encoding(false), ct);
                copies.Add(Path.Combine(files, "network_data.json"));
            }
            await Run("mcopy", ["-i", image, .. copies, "::openstack/latest/"], ct);
            return image;
        }
        catch
        {
            File.Delete(image);
            throw;
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    /// <summary>meta_data.json: uuid, hostname and name from the host, then the keys of spec.metaData (a JSON object).</summary>
    public static string MetaData(ConfigDriveContent content)
    {
        var meta = new JsonObject { ["uuid"] = content.HostName, ["hostname"] = content.HostName, ["name"] = content.HostName };
        if (content.MetaData is { } extra)
        {
            JsonObject given;
            try
            {
                given = JsonNode.Parse(extra) as JsonObject ?? throw new ImageException("metaData must be a JSON object");
            }
            catch (JsonException e)
            {
                throw new ImageException($"metaData is not JSON: {e.Message}");
            }
            foreach (var (key, value) in given)
            {
                meta[key] = value?.DeepClone();
            }
        }
        return meta.ToJsonString();
    }

    /// <summary>
    /// Adds the config drive partition in the last 64 MiB (1 MiB aligned) with sfdisk, which keeps the table's type.
    /// A GPT's backup header is first moved to the real end of the disk: the image was made for a smaller one.
    /// </summary>
    private static async Task<long> AppendPartitionAsync(string disk, CancellationToken ct)
    {
        long size;
        bool gpt;
        using (var handle = File.OpenHandle(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            size = DiskEraser.SizeOf(handle, disk);
            byte[] head = new byte[1024];
            RandomAccess.Read(handle, head, 0);
            gpt = Encoding.ASCII.GetString(head, 512, 8) == "EFI PART";  // UEFI spec §5.3.2: GPT header signature in LBA 1
            if (!gpt && (head[510] != 0x55 || head[511] != 0xaa))        // MBR boot signature
            {
                throw new ImageException("the image has no partition table, so there is no room for a config drive partition");
            }
        }
        long end = gpt ? size - 34 * Sector : size;                       // GPT keeps its backup entries + header in the last 33 sectors
        long start = (end - Size) / Alignment * Alignment;
        if (gpt)
        {
            await Run("sfdisk", ["--relocate", "gpt-bak-std", disk], ct);
        }
        await Run("sfdisk", ["--append", "--no-reread", "--no-tell-kernel", disk], ct,
            stdin: $"start={start / Sector}, size={Size / Sector}, type={(gpt ? "0FC63DAF-8483-4772-8E79-3D69D8477DE4" : "83")}\n");
        return start;
    }

    private static async Task Run(string tool, string[] args, CancellationToken ct, string? stdin = null)
    {
        var (code, output) = await Tools.RunAsync(tool, args, ct, stdin);
        if (code != 0)
        {
            throw new ImageException($"{tool} {string.Join(' ', args)} failed ({code}): {output}");
        }
    }
}
