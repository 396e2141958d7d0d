namespace Metal3.Data;

/// <param name="Replicas">Claims of the set that are not being released.</param>
/// <param name="Bound">Of those, the ones holding a host (Bound or Provisioned).</param>
/// <param name="Ready">Of those, the ones whose host runs the image (Provisioned).</param>
/// <param name="Updated">Of the replicas, the ones made from the set's current template.</param>
public sealed record HostSetCounts(int Replicas, int Bound, int Ready, int Updated)
{
    public static readonly HostSetCounts None = new(0, 0, 0, 0);
}
