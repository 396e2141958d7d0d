using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Core.Tests.Provisioning;

/// <summary>What the spec asks for (and, for an image, what the status says was written).</summary>
public enum Given { Nothing, Image, ExternallyProvisioned }
