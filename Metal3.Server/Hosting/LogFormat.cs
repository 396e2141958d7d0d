using System.Text.Encodings.Web;
using System.Text.Json;

namespace Metal3.Server.Hosting;

/// <summary>
/// <c>Metal3:Logging:Format</c>: <c>text</c> (default, the console formatter) or <c>json</c>, one JSON object per line
/// for journald, Loki or Elasticsearch: timestamp (UTC), level, category, event id, message and the message's named
/// values as <c>State</c>. Secrets never reach a log message in the first place (BMC passwords are write-only and
/// protected, tokens are compared by hash), so neither format has anything to hide.
/// </summary>
public static class LogFormat
{
    public const string Text = "text";
    public const string Json = "json";
    public const string Key = "Metal3:Logging:Format";

    public static string? Problem(IConfiguration config) =>
        config[Key] is { } format && format != Text && format != Json ? $"{Key} must be '{Text}' or '{Json}', not '{format}'" : null;

    public static WebApplicationBuilder AddMetal3Logging(this WebApplicationBuilder builder)
    {
        string format = builder.Configuration[Key] ?? Text;
        switch (format)
        {
            case Text:
                break;
            case Json:
                builder.Logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.IncludeScopes = false;
                    o.JsonWriterOptions = new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
                break;
            default:
                throw new InvalidOperationException(Problem(builder.Configuration));
        }
        return builder;
    }
}
