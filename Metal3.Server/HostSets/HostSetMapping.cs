using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Contracts.Api;
using Metal3.Core.HostSets;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Claims;

namespace Metal3.Server.HostSets;

/// <summary>Between the wire shapes and the host set rows. Inputs are validated before they get here.</summary>
public static class HostSetMapping
{
    /// <summary>Kubernetes' default: a set created without replicas keeps one claim.</summary>
    public const int DefaultReplicas = 1;

    public static HostSetSpec ToSpec(this HostSetRequest r) => new()
    {
        Replicas = r.Replicas ?? DefaultReplicas,
        LabelSelector = ClaimMapping.NormalizeSelector(r.LabelSelector),
        Hardware = r.Hardware.ToMinimums(),
        Template = new HostSetTemplate
        {
            Image = r.Template!.Image.ToImage()!,
            UserData = r.Template.UserData,
            NetworkData = r.Template.NetworkData,
            MetaData = r.Template.MetaData,
            Labels = r.Template.Labels ?? new Dictionary<string, string>(),
        },
    };

    public static HostSetResponse ToResponse(this HostSetRecord s, HostSetCounts counts) => new()
    {
        Name = s.Name,
        Replicas = s.Spec.Replicas,
        LabelSelector = s.Spec.LabelSelector,
        Hardware = s.Spec.Hardware,
        Template = new HostSetTemplateResponse
        {
            Image = s.Spec.Template.Image,
            UserData = s.Spec.Template.UserData,
            UserDataSet = s.Spec.Template.UserData is not null,
            NetworkData = s.Spec.Template.NetworkData,
            MetaData = s.Spec.Template.MetaData,
            Labels = s.Spec.Template.Labels,
        },
        ResourceVersion = s.ResourceVersion.ToString(CultureInfo.InvariantCulture),
        CreatedAt = ClaimMapping.AsUtc(s.CreatedAt),
        DeletionRequestedAt = s.DeletionRequestedAt is { } d ? ClaimMapping.AsUtc(d) : null,
        Status = new HostSetStatusResponse(counts.Replicas, counts.Bound, counts.Ready, counts.Updated, s.TemplateHash),
    };

    /// <summary>The set as a merge patch sees it: the request shape (the response without its read-only fields).</summary>
    public static JsonObject ToPatchTarget(this HostSetRecord s)
    {
        var node = JsonSerializer.SerializeToNode(s.ToResponse(HostSetCounts.None), Metal3Json.Options)!.AsObject();
        foreach (string readOnly in new[] { "resourceVersion", "createdAt", "deletionRequestedAt", "status" })
        {
            node.Remove(readOnly);
        }
        node["template"]!.AsObject().Remove("userDataSet");
        return node;
    }

    public static HostSetEventResponse ToResponse(this HostSetEventRecord e) =>
        new(e.Id, ClaimMapping.AsUtc(e.Time), e.Type, e.Reason, e.Message, e.ClaimName, e.Actor);
}
