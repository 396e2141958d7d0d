using Metal3.Server.Hosting;

var builder = WebApplication.CreateBuilder(MigrateOnly.Strip(args, out bool migrateOnly));
builder.AddMetal3ConfigFile(); // first: every later step reads configuration
if (migrateOnly)
{
    return await MigrateOnly.RunAsync(builder.Configuration, Console.Out, Console.Error);
}
builder.Host.UseSystemd();     // Type=notify; before any logging setup, so a configured log format wins over systemd's
builder.AddMetal3();

var app = builder.Build();
await app.InitializeMetal3Async();
app.MapMetal3();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
