using Metal3.Core.Claims;

namespace Metal3.Core.HostSets;

/// <summary>
/// What a host set asks for: <see cref="Replicas"/> claims, each for a host that matches <see cref="LabelSelector"/> and
/// <see cref="Hardware"/>, provisioned with <see cref="Template"/>. Replicas and template can change; the rest is fixed.
/// </summary>
public sealed record HostSetSpec
{
    /// <summary>The label every claim of a set carries, with the set's name as value: lists of claims filter on it.</summary>
    public const string OwnerLabel = "metal3.io/host-set";

    public int Replicas { get; init; }
    public string LabelSelector { get; init; } = "";
    public HardwareMinimums? Hardware { get; init; }
    public required HostSetTemplate Template { get; init; }

    /// <summary>A new claim of the set named <paramref name="setName"/>, from the current template.</summary>
    public ClaimSpec ClaimSpec(string setName) => new()
    {
        Labels = new Dictionary<string, string>(Template.Labels) { [OwnerLabel] = setName },
        LabelSelector = LabelSelector,
        Hardware = Hardware,
        Image = Template.Image,
        UserData = Template.UserData,
        NetworkData = Template.NetworkData,
        MetaData = Template.MetaData,
    };
}
