namespace Metal3.Contracts.Api;

/// <param name="Replicas">Claims of the set that exist and are not being released.</param>
/// <param name="BoundReplicas">Of those, claims holding a host (Bound or Provisioned).</param>
/// <param name="ReadyReplicas">Of those, claims whose host runs the image (Provisioned).</param>
/// <param name="UpdatedReplicas">Claims made from the current template; a rollout is done when it equals replicas and
/// readyReplicas.</param>
/// <param name="TemplateHash">The hash of the current template; each claim made from it carries the same.</param>
public sealed record HostSetStatusResponse(int Replicas, int BoundReplicas, int ReadyReplicas, int UpdatedReplicas, string TemplateHash);
