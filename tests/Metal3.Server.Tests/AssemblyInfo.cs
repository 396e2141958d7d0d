// The daemon and its tests run on Linux (network namespaces, ipmi_sim, PostgreSQL under runuser).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
