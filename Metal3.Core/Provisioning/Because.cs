namespace Metal3.Core.Provisioning;

/// <summary>Why a host leaves a state.</summary>
public enum Because
{
    /// <summary>The state's work finished (registered, inspected, prepared, provisioned, deprovisioned, powered off).</summary>
    StepDone,
    /// <summary>spec.externallyProvisioned: someone else installed the host; manage power only.</summary>
    ExternallyProvisioned,
    /// <summary>spec.externallyProvisioned was cleared.</summary>
    NoLongerExternallyProvisioned,
    /// <summary>spec.image was set on an available host.</summary>
    ImageSet,
    /// <summary>spec.image was cleared, or changed to another image (which needs a clean disk first).</summary>
    ImageCleared,
    /// <summary>POST …/actions/inspect on an available host.</summary>
    InspectionRequested,
    /// <summary>DELETE …: from any state.</summary>
    DeletionRequested,
}
