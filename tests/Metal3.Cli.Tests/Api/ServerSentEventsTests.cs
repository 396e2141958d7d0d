using Metal3.Cli.Api;

namespace Metal3.Cli.Tests.Api;

public class ServerSentEventsTests
{
    private static async Task<List<ServerSentEvent>> Parse(string stream)
    {
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEvents.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stream)), default))
        {
            events.Add(e);
        }
        return events;
    }

    [Fact]
    public async Task The_watch_contracts_event_is_dispatched_at_the_blank_line()
    {
        var events = await Parse("id: 42\nevent: MODIFIED\ndata: {\"type\":\"MODIFIED\",\"object\":{\"name\":\"a\"}}\n\n");

        var e = Assert.Single(events);
        Assert.Equal(new ServerSentEvent("42", "MODIFIED", "{\"type\":\"MODIFIED\",\"object\":{\"name\":\"a\"}}"), e);
    }

    [Fact]
    public async Task Keepalive_comments_dispatch_nothing()
    {
        Assert.Empty(await Parse(": keepalive\n\n: keepalive\n\n"));
    }

    [Fact]
    public async Task Several_data_lines_join_with_newlines_and_the_type_defaults_to_message()
    {
        var e = Assert.Single(await Parse("data: one\ndata:two\n\n"));

        Assert.Equal("message", e.Type);
        Assert.Equal("one\ntwo", e.Data);
    }

    [Fact]
    public async Task The_last_id_carries_over_to_events_that_have_none_and_the_type_does_not()
    {
        var events = await Parse("id: 7\nevent: ADDED\ndata: a\n\ndata: b\n\n");

        Assert.Equal([new ServerSentEvent("7", "ADDED", "a"), new ServerSentEvent("7", "message", "b")], events);
    }

    [Fact]
    public async Task An_event_cut_off_before_its_blank_line_is_not_dispatched()
    {
        Assert.Empty(await Parse("id: 1\nevent: ADDED\ndata: {\"type\""));
    }
}
