using System.Security.Cryptography;

namespace Metal3.Server.Dashboard;

public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);
