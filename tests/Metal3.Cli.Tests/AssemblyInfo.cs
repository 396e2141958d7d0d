// The daemon these tests start runs on Linux (PostgreSQL under runuser, Unix file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
