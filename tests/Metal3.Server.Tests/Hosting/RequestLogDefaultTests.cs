using Metal3.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Metal3.Server.Tests.Hosting;

/// <summary>When ASP.NET Core's per-request logging category is switched off, and when the operator's choice stands.</summary>
public sealed class RequestLogDefaultTests
{
    private static bool Silenced(params string[] levels)
    {
        var values = new Dictionary<string, string?>();
        foreach (string rule in levels)
        {
            var (category, level) = (rule[..rule.IndexOf('=')], rule[(rule.IndexOf('=') + 1)..]);
            values["Logging:LogLevel:" + category] = level;
        }
        return RequestLogDefault.ShouldSilence(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Theory]
    [InlineData(true, "Default=Warning")]
    [InlineData(true, "Default=Information", "Microsoft.AspNetCore=Warning")]
    [InlineData(true, "Default=Debug", "Microsoft=error")]
    [InlineData(true, "Microsoft.AspNetCore.Hosting=None")]
    [InlineData(false)]                                          // the framework's default is Information
    [InlineData(false, "Default=Information")]
    [InlineData(false, "Default=Warning", "Microsoft.AspNetCore=Information")]
    [InlineData(false, "Microsoft.AspNetCore=Debug")]
    [InlineData(false, "Default=Warning", "Microsoft.AspNetCore.Hosting.Diagnostics=Warning")]   // named: left as written
    [InlineData(false, "Default=loud")]                          // not a level: left for the framework to report
    public void Request_logging_is_silenced_only_when_inherited_filters_hide_it_anyway(bool expected, params string[] levels) =>
        Assert.Equal(expected, Silenced(levels));

    [Fact]
    public void The_daemon_builder_sets_the_category_to_none_under_a_warning_default()
    {
        var builder = WebApplication.CreateBuilder(["--Logging:LogLevel:Default", "Warning"]);

        builder.QuietRequestsWhenUnlogged();

        Assert.Equal("None", builder.Configuration["Logging:LogLevel:" + RequestLogDefault.Category]);
    }
}
