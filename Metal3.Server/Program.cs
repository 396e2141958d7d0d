using Metal3.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMetal3ConfigFile(); // first: every later step reads configuration
builder.Host.UseSystemd();     // Type=notify; before any logging setup, so a configured log format wins over systemd's
builder.AddMetal3();

var app = builder.Build();
await app.InitializeMetal3Async();
app.MapMetal3();
await app.RunAsync();

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
