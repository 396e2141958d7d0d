using Metal3.Cli.Api;
using Metal3.Cli.Commands;
using Metal3.Cli.Output;

namespace Metal3.Cli.Tests.Commands;

/// <summary>The data of one watch event, read as the Contracts' <c>HostWatchEventResponse</c>.</summary>
public class WatchEventTests
{
    [Fact]
    public void A_change_reads_its_type_and_host_with_a_state_this_build_does_not_know()
    {
        var change = WatchEvent.Parse(Event("MODIFIED",
            """{"type":"MODIFIED","object":{"name":"a","bmc":{"address":"fake://a"},"status":{"provisioning":{"state":"rebooting"}},"rack":"r9"}}"""));

        Assert.NotNull(change);
        Assert.Equal("MODIFIED", change.Type);
        Assert.Equal("a", change.Host.Name);
        Assert.Equal("rebooting", HostColumns.State(change.Host));
    }

    [Fact]
    public void A_deletion_of_a_host_the_daemon_never_loaded_is_its_name_only()
    {
        var change = WatchEvent.Parse(Event("DELETED", """{"type":"DELETED","object":{"name":"gone-0","resourceVersion":"12"}}"""));

        Assert.NotNull(change);
        Assert.Equal(WatchEvent.Deleted, change.Type);
        Assert.Equal(["gone-0", "", "", "", "", "", "", ""], HostColumns.Row(change.Host, wide: false, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_bare_deletion_of_a_host_the_view_listed_is_shown_as_the_view_last_had_it()
    {
        var lines = new StringWriter();
        var view = new WatchView(interactive: false, lines);
        var listed = WatchEvent.Parse(Event("ADDED",
            """{"object":{"name":"gone-0","bmc":{"address":"fake://gone-0"},"status":{"provisioning":{"state":"available"}}}}"""));
        view.Replace([listed!.Host]);

        view.Apply(WatchEvent.Parse(Event("DELETED", """{"type":"DELETED","object":{"name":"gone-0","resourceVersion":"12"}}"""))!);

        string deleted = lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("DELETED", deleted, StringComparison.Ordinal);
        Assert.Contains(" gone-0 ", deleted, StringComparison.Ordinal);
        Assert.Contains(" available ", deleted, StringComparison.Ordinal);
        Assert.Contains("fake://gone-0", deleted, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_type_in_the_data_the_events_own_type_is_used()
    {
        Assert.Equal("ADDED", WatchEvent.Parse(Event("ADDED", """{"object":{"name":"a"}}"""))?.Type);
    }

    [Theory]
    [InlineData("""{"type":"BOOKMARK","resourceVersion":"9"}""")]   // no host
    [InlineData("""{"type":"MODIFIED","object":"a"}""")]             // not a host
    [InlineData("not json")]
    public void What_is_not_a_host_change_is_nothing_to_show(string data)
    {
        Assert.Null(WatchEvent.Parse(Event("message", data)));
    }

    private static ServerSentEvent Event(string type, string data) => new("1", type, data);
}
