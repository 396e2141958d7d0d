using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>The error bodies sushy keeps from real BMCs: each must give an operator a message, and the driver must act on them.</summary>
public sealed class SushySampleTests
{
    private static string Sample(string name)
    {
        string path = Path.Combine(Mockups.PathOf("sushy-json-samples"), "generic", name);
        Assert.True(File.Exists(path), $"{path} is missing");
        return File.ReadAllText(path);
    }

    [Theory]
    [InlineData("error.json")]
    [InlineData("error_single_ext_info.json")]
    [InlineData("session_error.json")]
    [InlineData("transfer_proto_required_error.json")]
    [InlineData("transfer_proto_required_error2.json")]
    [InlineData("transfer_proto_required_error3.json")]
    [InlineData("transfer_method_required_error.json")]
    [InlineData("credentials_required_error.json")]
    public void A_real_error_body_yields_a_readable_message(string name)
    {
        using var doc = JsonDocument.Parse(Sample(name));

        var error = RedfishError.From(doc.RootElement);

        Assert.NotNull(error);
        Assert.False(string.IsNullOrWhiteSpace(error.Describe()));
    }

    [Fact]
    public async Task An_ami_insert_refused_for_want_of_a_transfer_protocol_is_sent_again_with_one()
    {
        string refusal = Sample("transfer_proto_required_error.json");
        await using var server = await RedfishTestServer.StartAsync("cray-hpe-Gigabyte");
        server.Intercept = async (context, r) =>
        {
            if (r.Method != "POST" || !r.Path.EndsWith("InsertMedia", StringComparison.Ordinal) || r.Body?["TransferProtocolType"] is not null) return false;
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(refusal);
            return true;
        };
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var insert = await bmc.VirtualMedia.InsertMediaAsync(new Uri("https://127.0.0.1:8443/boot.iso"), TestDriver.Deadline(), CancellationToken.None);

        Assert.True(insert.IsOk, insert.ToString());
        var posts = server.Requests.Where(r => r.Path.EndsWith("InsertMedia", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("HTTPS", posts[1].Body!["TransferProtocolType"]!.GetValue<string>());
    }
}
