using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// What happened to the host's disk, as status.provisioning shows it (image, boot mode, root device hints, progress):
/// a closed set, so those fields change together and only in these ways.
/// </summary>
public abstract record DiskChange
{
    private DiskChange()
    {
    }

    /// <summary>The agent is writing the image; null when it has not said how far it got.</summary>
    public sealed record Writing(ProgressStatus? Progress) : DiskChange;

    /// <summary>The image is on the disk, written for this boot mode and root device; the progress is over.</summary>
    public sealed record Written(ImageSpec Image, BootMode BootMode, RootDeviceHints? RootDeviceHints) : DiskChange;

    /// <summary>The state's cleaning is over (done, skipped or disabled): no image is recorded, and no progress.</summary>
    public sealed record Cleaned : DiskChange;
}
