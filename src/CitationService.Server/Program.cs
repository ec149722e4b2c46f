using CitationService.Classification;
using CitationService.Server;
using CitationService.Server.Security;
using CitationService.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddCitationStore();
builder.AddCitationClassifier();
builder.AddCitationServer();
builder.AddCitationSecurity();

var app = builder.Build();
app.MapCitationServices();
app.Run();

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c> in tests.</summary>
public partial class Program;
