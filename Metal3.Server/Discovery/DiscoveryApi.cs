using System.Net;
using System.Text.Json;
using Metal3.Contracts.Agent;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Agent;
using Metal3.Server.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Discovery;

/// <summary>
/// Discovery: an agent whose lookup found no host reports its machine (<c>POST /api/v1/agent/discovery</c>, open like
/// lookup and limited with it); operators list the machines (<c>GET /api/v1/discovered</c>, reader) and enroll one with
/// its BMC credentials (<c>POST /api/v1/discovered/{id}/enroll</c>, admin). The agent keeps looking up, and once the new
/// host is in a state that expects an agent its lookup gets a token as any other agent's would.
/// </summary>
public static class DiscoveryApi
{
    private const string EnrollExample = """
        {"name": "worker-7", "labels": {"rack": "r2"},
         "bmc": {"address": "ipmi://198.18.0.17", "username": "admin", "password": "secret"}}
        """;

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        // Under /api/v1/agent, so that the provisioning listener lets it through as it does lookup.
        app.MapPost("/api/v1/agent/discovery", ReportAsync).WithName("AgentDiscoveryReport").WithTags("Deploy agent").AllowAnonymous()
            .RequireRateLimiting(AgentLookupRateLimit.Policy)
            .DescribesBody<AgentDiscoveryReport>()
            .Produces<AgentDiscoveryResponse>()
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "A host is enrolled with one of the MACs as its bootMacAddress: look up instead")
            .AnswersProblem(StatusCodes.Status429TooManyRequests,
                "Too many lookups and reports from this address, or Metal3:Agent:DiscoveryMaxMachines machines are discovered already; see Retry-After");

        var api = app.MapGroup("/api/v1/discovered").WithTags("Discovery").RequireAuthorization(Roles.CanRead);
        api.MapGet("", ListAsync).WithName("ListDiscoveredMachines")
            .Produces<ListResponse<DiscoveredMachineResponse>>();
        api.MapGet("{id}", GetAsync).WithName("GetDiscoveredMachine")
            .Produces<DiscoveredMachineResponse>()
            .AnswersProblem(StatusCodes.Status404NotFound, "No discovered machine has this ID (it was enrolled, or expired)");
        api.MapPost("{id}/enroll", EnrollAsync).WithName("EnrollDiscoveredMachine").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<DiscoveredEnrollRequest>(example: EnrollExample)
            .Produces<HostResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status404NotFound, "No discovered machine has this ID (it was enrolled, or expired)")
            .AnswersProblem(StatusCodes.Status409Conflict, "A host has this name or bootMacAddress already");
        return app;
    }

    public static async Task<IResult> ReportAsync(HttpRequest request, DiscoveredMachines machines, AgentOptions options, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<AgentDiscoveryReport>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var (report, invalid) = DiscoveryReportCheck.Check(body!, options, request.HttpContext.Connection.RemoteIpAddress);
        if (invalid is not null)
        {
            return invalid;
        }
        var (outcome, machine, hostMac) = await machines.RecordAsync(report!, ct);
        switch (outcome)
        {
            case DiscoveredMachines.ReportOutcome.Enrolled:
                return Problems.Conflict($"a host is enrolled with bootMacAddress {hostMac}; its agent looks up, and a report changes nothing");
            case DiscoveredMachines.ReportOutcome.Full:
                request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.DiscoveryReportInterval.TotalSeconds)).ToString(
                    System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests,
                    detail: $"{options.DiscoveryMaxMachines} machines are discovered already (Metal3:Agent:DiscoveryMaxMachines); " +
                        "a new one is recorded once others are enrolled or expire");
            default:
                return TypedResults.Ok(new AgentDiscoveryResponse(machine!.Id.ToString(), (int)Math.Ceiling(options.DiscoveryReportInterval.TotalSeconds)));
        }
    }

    public static async Task<IResult> ListAsync(DiscoveredMachines machines, CancellationToken ct)
    {
        var all = await machines.ListAsync(ct);
        return TypedResults.Ok(new ListResponse<DiscoveredMachineResponse>(all.Select(m => ToResponse(m, machines, withInventory: false)).ToList(), null));
    }

    public static async Task<IResult> GetAsync(string id, DiscoveredMachines machines, CancellationToken ct) =>
        Guid.TryParse(id, out var guid) && await machines.FindAsync(guid, ct) is { } machine
            ? TypedResults.Ok(ToResponse(machine, machines, withInventory: true))
            : Problems.NotFound($"no discovered machine with ID '{id}' (enrolled, or expired after it stopped reporting)");

    public static async Task<IResult> EnrollAsync(
        string id, HttpRequest request, DiscoveredMachines machines, AgentSessionStore sessions, HostServices s, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<DiscoveredEnrollRequest>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        if (!Guid.TryParse(id, out var guid) || await machines.FindAsync(guid, ct) is not { } machine)
        {
            return Problems.NotFound($"no discovered machine with ID '{id}' (enrolled, or expired after it stopped reporting)");
        }
        var (hostRequest, invalid) = DiscoveredEnrolment.HostRequestFor(body!, machine);
        if (invalid is not null)
        {
            return invalid;
        }
        var wanted = hostRequest!;
        var validation = await s.Validator.ValidateAsync(wanted, ct);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }
        var now = s.Now;
        string name = wanted.Name ?? throw new InvalidOperationException("validated without a name");
        string? password = wanted.Bmc?.Password;
        var enrolled = Host.EnrollDiscovered(Guid.CreateVersion7(), wanted.ToSpec(name), s.ProtectPassword(password),
            machine.Inventory, machine.Id.ToString(), now);
        var (outcome, host) = await s.Store.AddAsync(enrolled, s.SafetyNetFrom(now), s.Actor, ct);
        switch (outcome)
        {
            case WriteOutcome.Saved:
                // The machine is a host now; its agent's next lookup finds it, and a report from it is refused. Its agent is
                // waiting: the first command goes to it as it is, without a reboot.
                await sessions.MarkAgentWaitingAsync(host.Id, DiscoveredMachines.AsUtc(machine.LastSeenAt), ct);
                await machines.RemoveAsync(machine.Id, ct);
                s.Reconcile(host.Id);
                return new ResultWithETag(TypedResults.Created($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion);
            case WriteOutcome.NameTaken:
                return Problems.Conflict($"a host named '{host.Name}' exists already");
            case WriteOutcome.BootMacTaken:
                return Problems.Conflict($"another host has bootMacAddress {host.Spec.BootMacAddress}");
            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }

    private static DiscoveredMachineResponse ToResponse(DiscoveredMachineRecord m, DiscoveredMachines machines, bool withInventory) => new()
    {
        Id = m.Id.ToString(),
        Macs = m.Macs,
        BmcAddress = m.BmcAddress,
        ReportedFrom = m.ReportedFrom,
        FirstSeenAt = DiscoveredMachines.AsUtc(m.FirstSeenAt),
        LastSeenAt = DiscoveredMachines.AsUtc(m.LastSeenAt),
        ExpiresAt = machines.ExpiresAt(m),
        Summary = SummaryOf(m.Inventory),
        Inventory = withInventory ? m.Inventory : null,
    };

    private static DiscoveredSummary SummaryOf(HardwareDetails? h) => new(
        h?.Cpu?.Count, h?.Cpu?.Model, h?.RamMebibytes, h?.Storage.Count ?? 0,
        (h?.Storage.Sum(d => d.SizeBytes) ?? 0) / 1_000_000_000, h?.Nics.Count ?? 0,
        h?.SystemVendor?.Manufacturer, h?.SystemVendor?.ProductName, h?.SystemVendor?.SerialNumber);
}
