using System.Text.Json.Nodes;
using Metal3.Agent.Imaging;
using Metal3.Agent.Tests.Support;
using Metal3.Contracts.Agent;

namespace Metal3.Agent.Tests.Imaging;

/// <summary>The config drive and disk erasure, read back with the Debian tools an operator would use (sfdisk, mtools, blkid).</summary>
public sealed class ConfigDriveAndEraseTests
{
    private const long DiskSize = 256L << 20;

    [Theory]
    [InlineData("dos")]
    [InlineData("gpt")]
    public async Task The_config_drive_is_a_partition_at_the_end_of_the_disk_holding_cloud_inits_files(string table)
    {
        using var disk = TestDisk.Create(DiskSize, loop: false);
        // The image as written: a 32 MiB disk with one partition (the backup GPT sits at 32 MiB, not at the disk's end).
        using (var image = TestDisk.Create(32 << 20, loop: false))
        {
            Sfdisk(image.File, $"label: {table}\nstart=2048, size=40960\n");
            File.Copy(image.File, disk.File, overwrite: true);
            using var fs = new FileStream(disk.File, FileMode.Open);
            fs.SetLength(DiskSize);
        }
        var content = new ConfigDriveContent("worker-7", "#cloud-config\nhostname: worker-7\n", """{"links": [], "networks": []}""",
            """{"rack": "r1", "public_keys": {"k": "ssh-ed25519 AAAA"}}""");

        await ConfigDriveWriter.WriteAsync(disk.File, content, default);

        var layout = JsonNode.Parse(TestDisk.Run("sfdisk", "--json", disk.File).Output)!["partitiontable"]!;
        Assert.Equal(table, (string?)layout["label"]);
        var partitions = layout["partitions"]!.AsArray();
        Assert.Equal(2, partitions.Count);
        long start = (long)partitions[1]!["start"]! * 512;
        Assert.Equal(ConfigDriveWriter.Size / 512, (long)partitions[1]!["size"]!);
        Assert.True(start + ConfigDriveWriter.Size <= DiskSize && start + ConfigDriveWriter.Size > DiskSize - (2 << 20), "in the last MiBs");
        if (table == "gpt")
        {
            Assert.Equal(DiskSize / 512 - 1, (long)layout["lastlba"]! + 33); // the backup GPT moved to the disk's end
        }

        Assert.Contains("LABEL=\"CONFIG-2\"", TestDisk.Run("blkid", "-p", "-O", start.ToString(), disk.File).Output);
        Assert.Equal(content.UserData, Mtools(disk.File, start, "openstack/latest/user_data"));
        Assert.Equal(content.NetworkData, Mtools(disk.File, start, "openstack/latest/network_data.json"));
        var meta = JsonNode.Parse(Mtools(disk.File, start, "openstack/latest/meta_data.json"))!;
        Assert.Equal("worker-7", (string?)meta["hostname"]);
        Assert.Equal("r1", (string?)meta["rack"]);
        Assert.Equal("ssh-ed25519 AAAA", (string?)meta["public_keys"]!["k"]);
    }

    [Fact]
    public async Task A_disk_without_a_partition_table_gets_no_config_drive_and_a_clear_error()
    {
        using var disk = TestDisk.Create(DiskSize, loop: false);
        var e = await Assert.ThrowsAsync<ImageException>(() => ConfigDriveWriter.WriteAsync(disk.File, new ConfigDriveContent("h", "x", null, null), default));
        Assert.Contains("no partition table", e.Message);
    }

    [Fact]
    public void Metadata_that_is_not_a_json_object_is_refused()
    {
        var e = Assert.Throws<ImageException>(() => ConfigDriveWriter.MetaData(new ConfigDriveContent("h", null, null, "rack: r1")));
        Assert.Contains("metaData", e.Message);
    }

    [Fact]
    public void Erasing_removes_the_partition_table_at_both_ends_and_the_filesystem_signatures()
    {
        using var disk = TestDisk.Create(64 << 20, loop: true);
        Sfdisk(disk.Loop!, "label: gpt\nstart=2048, size=20480\n");
        var (mkfs, output) = TestDisk.Run("mkfs.vfat", "--offset", "2048", disk.Loop!, "10240");
        Assert.True(mkfs == 0, output);
        Assert.Contains("vfat", TestDisk.Run("blkid", "-p", "-O", (2048 * 512).ToString(), disk.Loop!).Output);

        DiskEraser.EraseMetadata(disk.Loop!, [(2048 * 512, 20480 * 512)]);

        Assert.NotEqual(0, TestDisk.Run("sfdisk", "--dump", disk.Loop!).Code);
        Assert.DoesNotContain("vfat", TestDisk.Run("blkid", "-p", "-O", (2048 * 512).ToString(), disk.Loop!).Output);
        Assert.True(disk.Read((64 << 20) - 33 * 512, 33 * 512).All(b => b == 0), "the backup GPT is gone");
        Assert.Equal("", TestDisk.Run("wipefs", "--no-act", disk.Loop!).Output.Trim());
    }

    private static void Sfdisk(string target, string script)
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, script);
        var (code, output) = TestDisk.Run("sh", "-c", $"sfdisk --no-reread --no-tell-kernel '{target}' < '{file}'");
        File.Delete(file);
        Assert.True(code == 0, output);
    }

    private static string Mtools(string disk, long offset, string path)
    {
        var (code, output) = TestDisk.Run("mtype", "-i", $"{disk}@@{offset}", "::" + path);
        Assert.True(code == 0, output);
        return output;
    }
}
