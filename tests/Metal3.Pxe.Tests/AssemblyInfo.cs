// The tests drive Linux tools in Linux network namespaces.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
