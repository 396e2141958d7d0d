namespace Metal3.Core.Provisioning.Steps;

/// <summary>available: waits for an image, an inspection request or a deletion; keeps the power as asked.</summary>
internal static class AvailableStep
{
    public static async Task<StepOutcome> RunAsync(StepContext c)
    {
        var host = c.Host;
        if (host.InspectRequestedAt is not null)
        {
            // Inspection starts over: the old details are not kept as if they were its answer.
            return new StepOutcome(new StepResult.Advance(Because.InspectionRequested, "inspection requested"),
                new HostChanges { InspectRequestDone = true, Hardware = new(null) });
        }
        if (host.Spec.ExternallyProvisioned)
        {
            return new StepResult.Advance(Because.ExternallyProvisioned, "marked externally provisioned");
        }
        if (host.Spec.Image is { } image)
        {
            return new StepResult.Advance(Because.ImageSet, $"provisioning {image.Url}");
        }
        return await PowerKeeping.KeepAsync(c);
    }
}
