using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CitationService.Tests.Server;

/// <summary>
/// The real service in-process: real SQLite file, real models, real HTTP/2 gRPC calls through the
/// test server's handler, or over loopback TCP to Kestrel. Starting one runs the service's start-up
/// (migrations, seeds).
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly Uri? _loopbackAddress;

    private ServerHost(WebApplicationFactory<Program> factory, bool loopback)
    {
        _factory = factory;
        if (loopback)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
            _loopbackAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        // Without Kestrel, creating the test server's handler builds and starts the host.
        Channel = CreateChannel();
    }

    public GrpcChannel Channel { get; }

    /// <summary>
    /// Another channel to the same host: its own HTTP/2 connection (its own TCP connection over loopback).
    /// With <paramref name="defaultLimits"/>, Grpc.Net.Client's default limits (4 MB received), as most clients have.
    /// </summary>
    public GrpcChannel CreateChannel(bool defaultLimits = false)
    {
        var options = new GrpcChannelOptions();
        if (!defaultLimits)
        {
            options.MaxReceiveMessageSize = 32 * 1024 * 1024;
        }
        if (_loopbackAddress is null)
        {
            options.HttpHandler = _factory.Server.CreateHandler();
        }
        return GrpcChannel.ForAddress(_loopbackAddress ?? _factory.Server.BaseAddress, options);
    }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the service on <paramref name="databasePath"/>, seeding from <paramref name="seedDirectory"/>
    /// ("" for none); <paramref name="configure"/> adds settings or replaces services after the defaults. On
    /// Kestrel over loopback when <paramref name="loopback"/> (real TCP connections, each channel its own).
    /// </summary>
    public static ServerHost Start(
        string databasePath, string? seedDirectory = null, string? modelsDirectory = null,
        Action<IWebHostBuilder>? configure = null, bool loopback = false) =>
        new(new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:DatabasePath", databasePath);
            web.UseSetting("Seeding:Directory", seedDirectory ?? RepositoryPaths.Seeds);
            web.UseSetting("Classification:ModelsDirectory", modelsDirectory ?? RepositoryPaths.Models);
            configure?.Invoke(web);
        }), loopback);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>One service started on the seed pages, shared by the read-only tests of a class.</summary>
public class SeededServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private ServerHost? _host;

    internal ServerHost Host => _host ?? throw new InvalidOperationException("not started");

    /// <summary>Served by Kestrel over loopback TCP rather than through the in-memory test server.</summary>
    protected virtual bool Loopback => false;

    public Task InitializeAsync()
    {
        _host = ServerHost.Start(Path.Combine(_folder.Path, "citations.db"), loopback: Loopback);
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

/// <summary>The seeded service on Kestrel over loopback TCP: for what only a real connection shows (HTTP/2 flow control, stalls).</summary>
public sealed class LoopbackSeededServerFixture : SeededServerFixture
{
    protected override bool Loopback => true;
}
