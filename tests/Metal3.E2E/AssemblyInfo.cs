// The lab is Linux network namespaces, ipmi_sim and QEMU.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The lab's machines run under software emulation on two cores: one lab at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
