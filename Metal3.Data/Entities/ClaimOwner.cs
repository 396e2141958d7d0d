namespace Metal3.Data.Entities;

/// <summary>Who made a claim when a host set did: the set, the template the claim was made from, and the daemon.</summary>
public sealed record ClaimOwner(Guid HostSetId, string HostSetName, string TemplateHash, string Actor);
