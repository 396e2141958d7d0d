using System.Net;
using Metal3.ClientGen.Client;
using Metal3.ClientGen.Client.Models;

namespace Metal3.ClientGen.Tests;

/// <summary>
/// What automation does with a client generated from docs/openapi.json, against the daemon: enroll, list with a
/// selector, patch, act, read events, apply, delete, and the errors it must be able to tell apart.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class GeneratedClientTests(DaemonFixture daemon)
{
    private Metal3Client Client => daemon.Client;

    [Fact]
    public async Task A_host_is_enrolled_listed_patched_acted_on_read_and_deleted()
    {
        var enrolled = await Client.Api.V1.Hosts.PostAsync(Host("gen-1", rack: "gen-r1", online: true));

        Assert.Equal("gen-1", enrolled!.Name);
        Assert.True(enrolled.Bmc!.CredentialsSet);
        Assert.Equal("1", enrolled.ResourceVersion);

        var listed = await Client.Api.V1.Hosts.GetAsync(r => r.QueryParameters.LabelSelector = "rack=gen-r1");
        Assert.Equal(["gen-1"], listed!.Items!.Select(h => h.Name));

        var patched = await Client.Api.V1.Hosts["gen-1"].PatchAsync(new HostRequest { Online = false });
        Assert.False(patched!.Online);
        Assert.Equal("gen-r1", patched.Labels!.AdditionalData["rack"]);

        var acted = await Client.Api.V1.Hosts["gen-1"].Actions["inspect"].PostAsync();
        Assert.Equal("gen-1", acted!.Name);

        var events = await Client.Api.V1.Hosts["gen-1"].Events.GetAsync();
        var reasons = events!.Items!.Select(e => e.Reason).ToList();
        Assert.Contains("Enrolled", reasons);
        Assert.Contains("SpecUpdated", reasons);

        var deleting = await Client.Api.V1.Hosts["gen-1"].DeleteAsync();
        Assert.NotNull(deleting!.DeletionRequestedAt);
    }

    [Fact]
    public async Task Apply_creates_then_changes_nothing_when_repeated()
    {
        var created = await Client.Api.V1.Hosts["gen-apply"].PutAsync(Host(null, rack: "gen-r2", online: true));
        var again = await Client.Api.V1.Hosts["gen-apply"].PutAsync(Host(null, rack: "gen-r2", online: true));

        Assert.Equal("gen-apply", created!.Name);
        Assert.Equal(created.ResourceVersion, again!.ResourceVersion);
    }

    [Fact]
    public async Task A_second_enrollment_of_a_name_is_a_409_problem()
    {
        await Client.Api.V1.Hosts.PostAsync(Host("gen-dup", rack: "gen-r3", online: true));

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => Client.Api.V1.Hosts.PostAsync(Host("gen-dup", rack: "gen-r3", online: true)));

        Assert.Equal((int)HttpStatusCode.Conflict, problem.ResponseStatusCode);
        Assert.Equal(409, problem.Status);
        Assert.Contains("gen-dup", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_only_apply_of_an_existing_host_is_a_412_problem()
    {
        await Client.Api.V1.Hosts["gen-once"].PutAsync(Host(null, rack: "gen-r4", online: true));

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => Client.Api.V1.Hosts["gen-once"].PutAsync(
            Host(null, rack: "gen-r4", online: false), r => r.Headers.Add("If-None-Match", "*")));

        Assert.Equal((int)HttpStatusCode.PreconditionFailed, problem.ResponseStatusCode);
    }

    [Fact]
    public async Task Invalid_fields_are_a_400_problem_that_names_each_one()
    {
        var bad = Host("gen-bad", rack: "gen-r5", online: true);
        bad.BootMacAddress = "not-a-mac";
        bad.Bmc!.Address = "telnet://nowhere";

        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => Client.Api.V1.Hosts.PostAsync(bad));

        Assert.Equal((int)HttpStatusCode.BadRequest, problem.ResponseStatusCode);
        Assert.Contains("bootMacAddress", problem.Errors!.AdditionalData.Keys);
        Assert.Contains("bmc.address", problem.Errors.AdditionalData.Keys);
    }

    [Fact]
    public async Task A_missing_host_is_a_404_problem()
    {
        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => Client.Api.V1.Hosts["gen-never"].GetAsync());

        Assert.Equal((int)HttpStatusCode.NotFound, problem.ResponseStatusCode);
    }

    private static HostRequest Host(string? name, string rack, bool online) => new()
    {
        Name = name,
        Labels = new HostRequest_labels { AdditionalData = new Dictionary<string, object> { ["rack"] = rack } },
        Online = online,
        Bmc = new HostRequest_bmc { Address = "fake://" + (name ?? rack), Username = "admin", Password = "secret" },
    };
}
