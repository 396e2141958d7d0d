using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// Virtual CD through <c>VirtualMedia</c>: under the system (DMTF, Dell R660, sushy-tools) or under its manager
/// (iLO, AMI, Lenovo, and Supermicro, whose system link points there). Mounts with the InsertMedia/EjectMedia
/// actions when the device has them, else by PATCHing <c>Image</c>/<c>Inserted</c> (Lenovo XCC).
/// </summary>
internal sealed class RedfishVirtualMedia(SystemLocator system) : IVirtualMediaControl
{
    private RedfishClient Client => system.Client;

    public async Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct)
    {
        var found = await FindCdAsync(deadline, ct);
        if (!found.IsOk) return found.WithoutValue();
        var cd = found.Value;
        if (cd.HasImage && string.Equals(cd.Image, image.ToString(), StringComparison.Ordinal)) return BmcResult.Ok();
        if (cd.HasImage)
        {
            var ejected = await EjectAsync(cd, deadline, ct);
            if (!ejected.IsOk) return ejected;
        }
        var inserted = await InsertAsync(cd, image, deadline, ct);
        if (!inserted.IsOk) return inserted;
        var after = await ReadAsync(cd.Path!, deadline, ct);
        if (!after.IsOk) return after.WithoutValue();
        return after.Value.HasImage
            ? BmcResult.Ok()
            : BmcResult.Fail(BmcOutcome.BmcError, $"the BMC accepted {image} for {cd.Path} but shows no image inserted");
    }

    public async Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var found = await FindCdAsync(deadline, ct);
        if (!found.IsOk) return found.WithoutValue();
        var cd = found.Value;
        if (!cd.HasImage) return BmcResult.Ok();
        var ejected = await EjectAsync(cd, deadline, ct);
        if (!ejected.IsOk) return ejected;
        // A host booting from a CD we think is gone would be re-provisioned from a stale image, so check.
        var after = await ReadAsync(cd.Path!, deadline, ct);
        if (!after.IsOk) return after.WithoutValue();
        return after.Value.HasImage
            ? BmcResult.Fail(BmcOutcome.BmcError, $"the BMC accepted the eject of {cd.Path} but still shows {after.Value.Image} inserted")
            : BmcResult.Ok();
    }

    private async Task<BmcResult> InsertAsync(VirtualMedia cd, Uri image, DateTimeOffset deadline, CancellationToken ct)
    {
        var body = new JsonObject { ["Image"] = image.ToString(), ["Inserted"] = true, ["WriteProtected"] = true };
        // Say how to fetch the image where the BMC lets us choose (iDRAC declares it on the action's parameters).
        if (cd.HasTransferProtocolType || cd.Insert?.AllowableFor("TransferProtocolType") is not null)
        {
            body["TransferProtocolType"] = image.Scheme.ToUpperInvariant();
        }
        if (cd.Insert is { } action)
        {
            string target = action.Target ?? $"{cd.Path!.TrimEnd('/')}/Actions/VirtualMedia.InsertMedia";
            var sent = await Client.SendAsync(HttpMethod.Post, target, body, null, deadline, ct);
            if (!sent.IsOk) return sent.WithoutValue();
            // Some firmware requires TransferProtocolType without declaring it (sushy keeps such 400s as samples):
            // the error names the property, so send it once more with it.
            if (sent.Value.Code == 400 && !body.ContainsKey("TransferProtocolType") &&
                sent.Value.Describe().Contains("TransferProtocolType", StringComparison.Ordinal))
            {
                body["TransferProtocolType"] = image.Scheme.ToUpperInvariant();
                sent = await Client.SendAsync(HttpMethod.Post, target, body, null, deadline, ct);
                if (!sent.IsOk) return sent.WithoutValue();
            }
            return await TaskMonitor.CompleteAsync(Client, sent.Value, $"inserting {image}", deadline, ct);
        }
        body.Remove("WriteProtected");
        return await SendAsync(HttpMethod.Patch, cd.Path!, body, cd.ETag, $"inserting {image}", deadline, ct);
    }

    private async Task<BmcResult> EjectAsync(VirtualMedia cd, DateTimeOffset deadline, CancellationToken ct)
    {
        if (cd.Eject is { } action)
        {
            string target = action.Target ?? $"{cd.Path!.TrimEnd('/')}/Actions/VirtualMedia.EjectMedia";
            return await SendAsync(HttpMethod.Post, target, new JsonObject(), null, "ejecting the virtual CD", deadline, ct);
        }
        var body = new JsonObject { ["Image"] = null, ["Inserted"] = false };
        return await SendAsync(HttpMethod.Patch, cd.Path!, body, cd.ETag, "ejecting the virtual CD", deadline, ct);
    }

    private async Task<BmcResult> SendAsync(
        HttpMethod method, string path, JsonObject body, string? ifMatch, string what, DateTimeOffset deadline, CancellationToken ct)
    {
        var sent = await Client.SendAsync(method, path, body, ifMatch, deadline, ct);
        return sent.IsOk ? await TaskMonitor.CompleteAsync(Client, sent.Value, what, deadline, ct) : sent.WithoutValue();
    }

    private async Task<BmcResult<VirtualMedia>> FindCdAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var read = await system.GetAsync(deadline, ct);
        if (!read.IsOk) return read.WithoutValue();
        var sys = read.Value.System;
        var collections = new List<string>();
        if (sys.VirtualMediaPath is { } own) collections.Add(own);
        foreach (string managerPath in sys.ManagedBy)
        {
            var manager = await Client.GetAsync(managerPath, deadline, ct);
            if (!manager.IsOk) return manager.WithoutValue();
            if (manager.Value.IsSuccess && manager.Value.Body is { } m && Manager.From(m).VirtualMediaPath is { } vm)
            {
                collections.Add(vm);
            }
        }
        foreach (string collection in collections.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var sent = await Client.GetAsync(collection, deadline, ct);
            if (!sent.IsOk) return sent.WithoutValue();
            if (!sent.Value.IsSuccess || sent.Value.Body is not { } body) continue;
            foreach (string member in ResourceCollection.From(body).Members)
            {
                var device = await ReadAsync(member, deadline, ct);
                if (!device.IsOk) return device;
                if (device.Value.IsOptical) return device;
            }
        }
        return BmcResult.Fail(BmcOutcome.Unsupported,
            collections.Count == 0
                ? "the BMC offers no virtual media for this system"
                : $"the BMC has no virtual CD/DVD under {string.Join(" or ", collections)}");
    }

    private async Task<BmcResult<VirtualMedia>> ReadAsync(string path, DateTimeOffset deadline, CancellationToken ct)
    {
        var sent = await Client.GetAsync(path, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var body = sent.Value.RequireBody("reading virtual media");
        if (!body.IsOk) return body.WithoutValue();
        var vm = VirtualMedia.From(body.Value) with { ETag = sent.Value.ETag };
        return BmcResult<VirtualMedia>.Ok(string.IsNullOrEmpty(vm.Path) ? vm with { Path = path } : vm);
    }
}
