using Metal3.Core.Hosts;

namespace Metal3.Core.Claims;

/// <summary>
/// What a claim asks for: a host whose labels match <see cref="LabelSelector"/> and whose hardware meets
/// <see cref="Hardware"/>, and optionally what to provision on it. Fixed once the claim exists.
/// </summary>
public sealed record ClaimSpec
{
    /// <summary>The claim's own labels (a host set marks its claims with them); lists of claims filter on them.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The selector as given (<c>rack=r1,!gpu</c>); empty matches every host.</summary>
    public string LabelSelector { get; init; } = "";
    public HardwareMinimums? Hardware { get; init; }
    public ImageSpec? Image { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }

    /// <summary>The host's consumerRef while this claim holds it.</summary>
    public static string ConsumerRefOf(string claimName) => "claim/" + claimName;

    /// <summary>The host's spec once this claim holds it: the claim's consumerRef and, when it has one, its image and data.</summary>
    public HostSpec Provision(HostSpec host, string claimName) => Image is null
        ? host with { ConsumerRef = ConsumerRefOf(claimName) }
        : host with { ConsumerRef = ConsumerRefOf(claimName), Image = Image, UserData = UserData, NetworkData = NetworkData, MetaData = MetaData };

    /// <summary>The host's spec while it is released: no image, so it is deprovisioned (cleaned), still held by the claim.</summary>
    public static HostSpec Deprovision(HostSpec host) => host with { Image = null, UserData = null, NetworkData = null, MetaData = null };
}
