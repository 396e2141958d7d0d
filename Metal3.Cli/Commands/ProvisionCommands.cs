using System.CommandLine;
using System.Text.Json.Nodes;
using Metal3.Contracts.Api;
using Metal3.Core.Provisioning;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>hosts provision</c> and <c>hosts deprovision</c>: set or clear <c>image</c> (a merge patch on the spec).</summary>
public static class ProvisionCommands
{
    public static Command Provision()
    {
        var name = HostName();
        var image = new Option<string>("--image") { Description = "URL of the image to write (http:// or https://)", Required = true };
        var checksum = new Option<string>("--checksum") { Description = "The image's checksum (hex)", Required = true };
        var checksumType = new Option<string?>("--checksum-type") { Description = "sha256, sha512, md5 or auto (default: auto, by length)" };
        var format = new Option<string?>("--format") { Description = "raw, qcow2, raw.gz, raw.xz or raw.zst (default: guessed)" };
        var wait = Wait("the host is provisioned, with a progress bar (exit 1 if it reports an error)");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("provision", "Write an image to a host: sets spec.image")
        {
            name, image, checksum, checksumType, format, wait, timeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            string url = r.GetValue(image)!;
            var imageSpec = new JsonObject { ["url"] = url, ["checksum"] = r.GetValue(checksum) };
            if (r.GetValue(checksumType) is { } type)
            {
                imageSpec["checksumType"] = type;
            }
            if (r.GetValue(format) is { } f)
            {
                imageSpec["format"] = f;
            }
            using var api = Connect(r);
            await api.PatchAsync(host, new JsonObject { ["image"] = imageSpec }, ct);
            Say($"host/{host} provisioning requested: {url}");
            if (r.GetValue(wait))
            {
                await HostWaits.WaitWithProgressAsync(api, host, r.GetValue(timeout), h => Provisioned(h, url), ct);
                Say($"host/{host} provisioned");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Deprovision()
    {
        var name = HostName();
        var wait = Wait("the host is available again");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("deprovision", "Take a host's image away (clears spec.image; it is cleaned and becomes available)")
        {
            name, wait, timeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            using var api = Connect(r);
            await api.PatchAsync(host, new JsonObject { ["image"] = null }, ct);
            Say($"host/{host} deprovisioning requested");
            if (r.GetValue(wait))
            {
                await HostWaits.WaitAsync(api, host, r.GetValue(timeout), HostWaits.StateIs(ProvisioningState.Available), ct);
                Say($"host/{host} available");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Done when the host is provisioned with this image (not an earlier one); failed when it reports an error.</summary>
    public static HostWaits.Verdict Provisioned(HostResponse host, string url)
    {
        if (HostWaits.ErrorOf(host) is { } error)
        {
            return error;
        }
        var provisioning = host.Status?.Provisioning;
        bool provisioned = provisioning?.State == ProvisioningState.Provisioned;
        string current = provisioning?.Image?.Url ?? "";
        return provisioned && (current.Length == 0 || current == url) ? HostWaits.Reached : HostWaits.KeepWaiting;
    }
}
