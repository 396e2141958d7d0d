using System.Diagnostics.Metrics;
using Metal3.Data;
using Metal3.Data.Outages;
using Metal3.Data.Pxe;
using Metal3.Pxe;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tftp;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Pxe;

public static class PxeServiceExtensions
{
    /// <summary>
    /// Network boot from <c>Metal3:Pxe</c>: the provisioning listener when <c>HttpUrl</c> is set (alone, it is all that
    /// virtual media needs); TFTP when an interface is configured, and DHCP there when <c>Dhcp:Mode</c> is full or proxy.
    /// Throws on a bad configuration.
    /// </summary>
    /// <param name="apiUrls">The API's URLs (<c>--urls</c>); the provisioning listener is added beside them.</param>
    public static WebApplicationBuilder AddMetal3Pxe(this WebApplicationBuilder builder, string dataDir, IReadOnlyList<string> apiUrls)
    {
        var pxe = PxeConfiguration.Read(builder.Configuration, dataDir);
        builder.Services.AddSingleton(pxe);
        builder.Services.AddSingleton<EfBootHostLookup>();
        builder.Services.AddSingleton<IBootHostLookup>(sp => new CachedBootHostLookup(
            new OutageAwareBootHostLookup(sp.GetRequiredService<EfBootHostLookup>(), sp.GetRequiredService<DatabaseOutages>()),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<EfDhcpLeaseStore>();
        builder.Services.AddSingleton<IDhcpLeaseStore>(sp =>
            new OutageAwareDhcpLeaseStore(sp.GetRequiredService<EfDhcpLeaseStore>(), sp.GetRequiredService<DatabaseOutages>()));
        builder.Services.AddSingleton(sp => new PxeMetrics(sp.GetRequiredService<IMeterFactory>()));
        if (pxe.HttpUrl is { } httpUrl)
        {
            AddProvisioningListener(builder, httpUrl, apiUrls);
        }
        if (pxe.HttpUrl is null && !pxe.Enabled)
        {
            return builder;
        }
        builder.Services.AddSingleton<BootTimeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BootTimeline>());
        if (!pxe.Enabled)
        {
            return builder;   // the provisioning listener alone: no DHCP, no TFTP (virtual media)
        }
        builder.Services.AddHostedService(sp =>
        {
            var tftp = new TftpServer(pxe.Options.Tftp, pxe.Address, pxe.Options.Interface, sp.GetRequiredService<PxeMetrics>(),
                sp.GetRequiredService<ILogger<TftpServer>>());
            tftp.TransferCompleted += sp.GetRequiredService<BootTimeline>().TftpFinished;
            return tftp;
        });
        if (pxe.RunsDhcp)
        {
            builder.Services.AddHostedService(sp =>
            {
                var dhcp = new DhcpServer(pxe.Options.Dhcp, pxe.Options.Interface!, pxe.Address, pxe.HttpUrl!,
                    sp.GetRequiredService<IBootHostLookup>(), sp.GetRequiredService<IDhcpLeaseStore>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<PxeMetrics>(), sp.GetRequiredService<ILogger<DhcpServer>>());
                dhcp.Replied += sp.GetRequiredService<BootTimeline>().DhcpReplied;
                return dhcp;
            });
        }
        return builder;
    }

    /// <summary>
    /// Kestrel listens on the provisioning URL as well as the API's. Endpoints set in code would make Kestrel drop
    /// <c>--urls</c>, so the URL joins whichever list the operator used: <c>Kestrel:Endpoints</c> or <c>urls</c>.
    /// </summary>
    private static void AddProvisioningListener(WebApplicationBuilder builder, Uri httpUrl, IReadOnlyList<string> apiUrls)
    {
        string url = httpUrl.GetLeftPart(UriPartial.Authority);
        if (builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.Configuration["Kestrel:Endpoints:Metal3Provisioning:Url"] = url;
        }
        else
        {
            builder.WebHost.UseUrls([.. apiUrls, url]);
        }
    }
}
