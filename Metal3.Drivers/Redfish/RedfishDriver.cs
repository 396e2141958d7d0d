using System.Collections.Concurrent;
using Metal3.Core.Bmc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// The Redfish driver for <c>redfish[+http|+https]://</c> and <c>redfish-virtualmedia://</c> addresses. It keeps one
/// <see cref="RedfishClient"/> (one HttpClient, one session) per BMC and reuses it across connections, because BMCs
/// have a handful of session slots and a login costs seconds on some of them. Disposing the driver logs out.
/// </summary>
public sealed class RedfishDriver(IHttpClientFactory httpClients, RedfishOptions? options = null, ILoggerFactory? loggers = null)
    : IBmcDriver, IAsyncDisposable
{
    /// <summary>The named HttpClient for BMCs whose certificate is verified against the system store.</summary>
    public const string VerifiedClientName = "Metal3.Redfish";

    /// <summary>The named HttpClient for BMCs with <c>disableCertificateVerification</c>.</summary>
    public const string UnverifiedClientName = "Metal3.Redfish.Unverified";

    private readonly RedfishOptions _options = options ?? new RedfishOptions();
    private readonly ILogger _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger<RedfishDriver>();
    private readonly ConcurrentDictionary<string, RedfishClient> _clients = new();

    public static readonly BmcDriverDescriptor Descriptor = new RedfishDescriptor();

    BmcDriverDescriptor IBmcDriver.Descriptor => Descriptor;

    public BmcConnection Connect(BmcTarget target)
    {
        var client = ClientFor(target);
        var system = new SystemLocator(client);
        return Descriptor.Connection(
            power: new RedfishPower(system),
            boot: new RedfishBoot(system, _log),
            inventory: new RedfishInventory(system, _log),
            media: new RedfishVirtualMedia(system));
    }

    private RedfishClient ClientFor(BmcTarget target)
    {
        var a = target.Address;
        // The key holds everything that changes how we talk to the BMC, so new credentials get a new session.
        string key = string.Join('\n', a.Https, a.Host, a.Port, target.DisableCertificateVerification,
            target.Credentials.Username, target.Credentials.Password);
        return _clients.GetOrAdd(key, _ =>
        {
            var http = httpClients.CreateClient(target.DisableCertificateVerification ? UnverifiedClientName : VerifiedClientName);
            // Deadlines are per call (RedfishClient); HttpClient's own 100 s default would cut long task waits short.
            http.Timeout = Timeout.InfiniteTimeSpan;
            return new RedfishClient(http, target, _options, _log);
        });
    }

    /// <summary>Closes every session this driver opened.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var key in _clients.Keys.ToList())
        {
            if (_clients.TryRemove(key, out var client)) await client.DisposeAsync();
        }
    }
}
