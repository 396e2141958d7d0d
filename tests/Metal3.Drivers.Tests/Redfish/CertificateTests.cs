using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Metal3.Core.Bmc;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>BMC certificates are checked against the system store unless the operator turned that off for the host.</summary>
public sealed class CertificateTests
{
    private const string Set = "dmtf-public-rackmount1";

    // A self-signed certificate for 127.0.0.1, like the one every BMC ships with.
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bmc.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Through PKCS#12 so that the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task A_self_signed_bmc_certificate_is_refused_by_default_with_advice()
    {
        using var cert = SelfSigned();
        await using var server = await RedfishTestServer.StartAsync(MockupTree.Load(Set), cert);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), CancellationToken.None);

        Assert.Equal(BmcOutcome.Unreachable, power.Outcome);
        Assert.Contains("disableCertificateVerification", power.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_self_signed_bmc_certificate_is_accepted_when_verification_is_disabled()
    {
        using var cert = SelfSigned();
        await using var server = await RedfishTestServer.StartAsync(MockupTree.Load(Set), cert);
        await using var driver = TestDriver.Create();
        var target = TestDriver.Target(server.Address()) with { DisableCertificateVerification = true };
        var bmc = driver.Connect(target);

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), CancellationToken.None);

        Assert.True(power.IsOk, power.ToString());
    }
}
