using Metal3.Core.Provisioning;

namespace Metal3.Pxe;

/// <summary>What the network-boot services know about a machine, found by the MAC it boots from.</summary>
/// <param name="Name">The host's name.</param>
/// <param name="State">Its provisioning state; the iPXE script depends on it.</param>
/// <param name="HasImage">Whether <c>spec.image</c> is set (available with an image means "about to provision").</param>
public sealed record BootHost(string Name, ProvisioningState State, bool HasImage);
