using Metal3.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMetal3();

var app = builder.Build();
await app.InitializeMetal3Async();
app.MapMetal3();
await app.RunAsync();

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
