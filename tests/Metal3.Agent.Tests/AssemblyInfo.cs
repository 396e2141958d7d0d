// Loop devices, sfdisk, QEMU: these tests are Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
