namespace Metal3.Core.Provisioning.Steps;

/// <summary>available: waits for an image, an inspection request or a deletion; keeps the power as asked.</summary>
internal static class AvailableStep
{
    public static async Task<StepResult> RunAsync(StepContext c)
    {
        var host = c.Host;
        if (host.InspectRequestedAt is not null)
        {
            host.InspectRequestedAt = null;
            host.Status = host.Status with { Hardware = null };
            return new StepResult.Advance(Because.InspectionRequested, "inspection requested");
        }
        if (host.Spec.ExternallyProvisioned)
        {
            return new StepResult.Advance(Because.ExternallyProvisioned, "marked externally provisioned");
        }
        if (host.Spec.Image is { } image)
        {
            return new StepResult.Advance(Because.ImageSet, $"provisioning {image.Url}");
        }
        return await PowerKeeping.KeepAsync(c) ?? new StepResult.Idle(StepContext.Resync);
    }
}
