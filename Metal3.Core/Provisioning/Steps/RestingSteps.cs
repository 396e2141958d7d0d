namespace Metal3.Core.Provisioning.Steps;

/// <summary>provisioned and externally provisioned: the power follows spec.online until the spec asks for a change.</summary>
internal static class RestingSteps
{
    public static async Task<StepOutcome> ProvisionedAsync(StepContext c)
    {
        var host = c.Host;
        if (host.Spec.Image is null)
        {
            return new StepResult.Advance(Because.ImageCleared, "image cleared: deprovisioning");
        }
        if (host.Spec.Image != host.Status.Provisioning.Image)
        {
            return new StepResult.Advance(Because.ImageCleared, "image changed: deprovisioning before the new image is written");
        }
        return await PowerKeeping.KeepAsync(c);
    }

    public static async Task<StepOutcome> ExternallyProvisionedAsync(StepContext c)
    {
        if (!c.Host.Spec.ExternallyProvisioned)
        {
            return new StepResult.Advance(Because.NoLongerExternallyProvisioned, "no longer externally provisioned: inspecting");
        }
        return await PowerKeeping.KeepAsync(c);
    }
}
