using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitationService.Tests.Server;

/// <summary>
/// The real service in-process: real SQLite file, real models, real HTTP/2 gRPC calls through the
/// test server's handler. Starting one runs the service's start-up (migrations, seeds, classification).
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private ServerHost(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
        // Creating the handler builds and starts the host.
        Channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = factory.Server.CreateHandler(),
            MaxReceiveMessageSize = 32 * 1024 * 1024,
        });
    }

    public GrpcChannel Channel { get; }

    /// <summary>A channel with Grpc.Net.Client's default limits (4 MB received), as most clients have; the caller disposes it.</summary>
    public GrpcChannel CreateDefaultChannel() =>
        GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the service on <paramref name="databasePath"/>, seeding from <paramref name="seedDirectory"/> ("" for none);
    /// <paramref name="configure"/> adds settings or replaces services after the defaults.
    /// </summary>
    public static ServerHost Start(string databasePath, string? seedDirectory = null, string? modelsDirectory = null, Action<IWebHostBuilder>? configure = null) =>
        new(new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:DatabasePath", databasePath);
            web.UseSetting("Seeding:Directory", seedDirectory ?? RepositoryPaths.Seeds);
            web.UseSetting("Classification:ModelsDirectory", modelsDirectory ?? RepositoryPaths.Models);
            configure?.Invoke(web);
        }));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>One service started on the seed pages, shared by the read-only tests of a class.</summary>
public sealed class SeededServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private ServerHost? _host;

    internal ServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public Task InitializeAsync()
    {
        _host = ServerHost.Start(Path.Combine(_folder.Path, "citations.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _folder.Dispose();
    }
}
