namespace Metal3.Drivers.Redfish;

/// <summary>Transport limits. The defaults suit real BMCs, which are slow and small; tests shrink the waits.</summary>
public sealed class RedfishOptions
{
    /// <summary>The longest one HTTP exchange may take, even when the caller's deadline is further away.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a request is sent in all when the BMC answers 5xx.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first back-off after a 5xx; it doubles on each further attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A 503's Retry-After longer than this is cut to it, so one BMC cannot park a job for an hour.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>BMCs fall over under parallel load; requests to one BMC beyond this wait their turn.</summary>
    public int MaxConcurrentRequestsPerBmc { get; set; } = 2;

    /// <summary>Larger bodies are refused: the biggest real payload is a BIOS attribute registry of about 1 MB.</summary>
    public long MaxResponseBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often a task monitor is polled when the BMC does not say (Retry-After).</summary>
    public TimeSpan TaskPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a boot override is written when the BMC reads back something else.</summary>
    public int BootOverrideAttempts { get; set; } = 2;

    /// <summary>How often power is polled while waiting for "off" between the two halves of a reboot done as off+on.</summary>
    public TimeSpan PowerPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
