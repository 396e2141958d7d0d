using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// Finds the ComputerSystem this connection drives: the one named in the address, or the only member of
/// <c>/Systems</c>. A BMC with several systems (a chassis manager) needs the address to say which.
/// </summary>
internal sealed class SystemLocator(RedfishClient client)
{
    private string? _path = string.IsNullOrEmpty(client.Target.Address.Path) ? null : client.Target.Address.Path;

    public RedfishClient Client => client;

    public async Task<BmcResult<string>> ResolveAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        if (_path is { } known) return BmcResult<string>.Ok(known);
        var root = await client.GetServiceRootAsync(deadline, ct);
        if (!root.IsOk) return root.WithoutValue();
        string systems = root.Value.SystemsPath ?? "/redfish/v1/Systems";
        var sent = await client.GetAsync(systems, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var body = sent.Value.RequireBody("listing the systems");
        if (!body.IsOk) return body.WithoutValue();
        var members = ResourceCollection.From(body.Value).Members;
        switch (members.Count)
        {
            case 0:
                return BmcResult.Fail(BmcOutcome.BmcError, $"the BMC lists no systems under {systems}");
            case 1:
                _path = members[0];
                return BmcResult<string>.Ok(_path);
            default:
                return BmcResult.Fail(BmcOutcome.BmcError,
                    $"the BMC has {members.Count} systems ({string.Join(", ", members)}); name one in the address, " +
                    $"as in {client.Target.Address.Scheme}://{client.Target.Address.Host}:{client.Target.Address.Port}{members[0]}");
        }
    }

    /// <summary>GET the system, with its ETag (header or <c>@odata.etag</c>) for a later PATCH.</summary>
    public async Task<BmcResult<(ComputerSystem System, string? ETag)>> GetAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var resolved = await ResolveAsync(deadline, ct);
        if (!resolved.IsOk) return resolved.WithoutValue();
        var sent = await client.GetAsync(resolved.Value, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        if (sent.Value.Code == 404)
        {
            return BmcResult.Fail(BmcOutcome.BmcError, $"the BMC has no system at {resolved.Value}; check the path in the BMC address");
        }
        var body = sent.Value.RequireBody("reading the system");
        if (!body.IsOk) return body.WithoutValue();
        var sys = ComputerSystem.From(body.Value);
        // Actions and PATCHes go to the system's own @odata.id; a BMC that omits it is addressed by the path we used.
        if (string.IsNullOrEmpty(sys.Path)) sys = sys with { Path = resolved.Value };
        return BmcResult<(ComputerSystem, string?)>.Ok((sys, sent.Value.ETag));
    }
}
