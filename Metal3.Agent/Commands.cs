using Metal3.Agent.Disks;
using Metal3.Agent.Imaging;
using Metal3.Agent.Inspection;
using Metal3.Contracts.Agent;

namespace Metal3.Agent;

/// <summary>Runs one command on this machine. Progress goes to <see cref="BytesWritten"/>/<see cref="BytesTotal"/> for heartbeats.</summary>
public sealed class Commands(HttpClient http, string root = "/")
{
    public long? BytesWritten { get; private set; }
    public long? BytesTotal { get; private set; }

    public async Task<AgentCommandResult> RunAsync(AgentCommand command, CancellationToken ct)
    {
        BytesWritten = null;
        BytesTotal = null;
        try
        {
            switch (command.Kind)
            {
                case AgentCommandKinds.Inspect:
                    return new AgentCommandResult(true, Hardware: new HardwareInspector(root).Inspect());
                case AgentCommandKinds.Erase:
                    foreach (var disk in BlockDevices.Read(root))
                    {
                        DiskEraser.EraseMetadata(disk.Name, DiskEraser.Partitions(root, Path.GetFileName(disk.Name)));
                    }
                    return new AgentCommandResult(true, "disk metadata erased");
                case AgentCommandKinds.Deploy when command.Deploy is { } deploy:
                    var target = RootDeviceSelector.Select(BlockDevices.Read(root), deploy.RootDeviceHints);
                    var written = await new ImageWriter(http).WriteAsync(deploy.Image, target.Name, (w, t) => (BytesWritten, BytesTotal) = (w, t), ct);
                    if (deploy.ConfigDrive is { } drive)
                    {
                        await ConfigDriveWriter.WriteAsync(target.Name, drive, ct);
                    }
                    return new AgentCommandResult(true, $"{written.BytesWritten} bytes of {written.Format} written to {target.Name}");
                case AgentCommandKinds.Reboot or AgentCommandKinds.PowerOff:
                    return new AgentCommandResult(true, $"{command.Kind} follows");
                default:
                    return new AgentCommandResult(false, $"this agent cannot run '{command.Kind}'");
            }
        }
        catch (Exception e) when (e is ImageException or RootDeviceException or IOException or HttpRequestException
            or UnauthorizedAccessException or InvalidDataException)
        {
            return new AgentCommandResult(false, $"{command.Kind}: {e.Message}");
        }
    }
}
