namespace Metal3.Data.Entities;

/// <summary>Who made a claim when a host set did: the set, and the hash of the template the claim was made from.</summary>
public sealed record ClaimOwner(Guid HostSetId, string HostSetName, string TemplateHash);
