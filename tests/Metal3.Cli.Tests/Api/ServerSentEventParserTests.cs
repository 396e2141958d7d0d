using Metal3.Cli.Api;

namespace Metal3.Cli.Tests.Api;

public class ServerSentEventParserTests
{
    private static List<ServerSentEvent> Parse(string stream)
    {
        var parser = new ServerSentEventParser();
        var events = new List<ServerSentEvent>();
        foreach (string line in stream.Split('\n'))
        {
            if (parser.Feed(line) is { } e)
            {
                events.Add(e);
            }
        }
        return events;
    }

    [Fact]
    public void The_watch_contracts_event_is_dispatched_at_the_blank_line()
    {
        var events = Parse("id: 42\nevent: MODIFIED\ndata: {\"type\":\"MODIFIED\",\"object\":{\"name\":\"a\"}}\n\n");

        var e = Assert.Single(events);
        Assert.Equal(new ServerSentEvent("42", "MODIFIED", "{\"type\":\"MODIFIED\",\"object\":{\"name\":\"a\"}}"), e);
    }

    [Fact]
    public void Keepalive_comments_dispatch_nothing()
    {
        Assert.Empty(Parse(": keepalive\n\n: keepalive\n\n"));
    }

    [Fact]
    public void Several_data_lines_join_with_newlines_and_the_type_defaults_to_message()
    {
        var e = Assert.Single(Parse("data: one\ndata:two\n\n"));

        Assert.Equal("message", e.Type);
        Assert.Equal("one\ntwo", e.Data);
    }

    [Fact]
    public void The_last_id_carries_over_to_events_that_have_none_and_the_type_does_not()
    {
        var events = Parse("id: 7\nevent: ADDED\ndata: a\n\ndata: b\n\n");

        Assert.Equal([new ServerSentEvent("7", "ADDED", "a"), new ServerSentEvent("7", "message", "b")], events);
    }

    [Fact]
    public void An_event_cut_off_before_its_blank_line_is_not_dispatched()
    {
        Assert.Empty(Parse("id: 1\nevent: ADDED\ndata: {\"type\""));
    }
}
