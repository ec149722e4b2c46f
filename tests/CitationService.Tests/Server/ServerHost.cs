using CitationService.Contracts;
using Grpc.Core;
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
    /// <summary>The API key a host is configured with unless told otherwise, and that <see cref="Channel"/> sends.</summary>
    public const string ApiKey = "test-api-key-6f1c2a";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly Uri? _loopbackAddress;
    private readonly List<GrpcChannel> _channels = [];

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

    /// <summary>A channel that sends <see cref="ApiKey"/> with every call.</summary>
    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the service on <paramref name="databasePath"/>, seeding from <paramref name="seedDirectory"/>
    /// ("" for none), with any further configuration <paramref name="settings"/>; on Kestrel over loopback
    /// when <paramref name="loopback"/> (real TCP connections, each channel its own). See <see cref="CreateFactory"/>
    /// for <paramref name="apiKeys"/> and <paramref name="configure"/>.
    /// </summary>
    public static ServerHost Start(
        string databasePath, string? seedDirectory = null, string? modelsDirectory = null,
        IReadOnlyDictionary<string, string>? settings = null, bool loopback = false,
        IReadOnlyList<string>? apiKeys = null, Action<IWebHostBuilder>? configure = null) =>
        new(CreateFactory(databasePath, seedDirectory, modelsDirectory, settings, apiKeys, configure), loopback);

    /// <summary>
    /// The factory <see cref="Start"/> uses, not yet started (for a test that starts it otherwise). The service
    /// accepts <paramref name="apiKeys"/> (default: <see cref="ApiKey"/>; empty: none); <paramref name="configure"/>
    /// adds services or logging.
    /// </summary>
    public static WebApplicationFactory<Program> CreateFactory(
        string databasePath, string? seedDirectory = null, string? modelsDirectory = null,
        IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<string>? apiKeys = null,
        Action<IWebHostBuilder>? configure = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:DatabasePath", databasePath);
            web.UseSetting("Seeding:Directory", seedDirectory ?? RepositoryPaths.Seeds);
            web.UseSetting("Classification:ModelsDirectory", modelsDirectory ?? RepositoryPaths.Models);
            foreach (var (key, i) in (apiKeys ?? [ApiKey]).Select((key, i) => (key, i)))
            {
                web.UseSetting($"Security:ApiKeys:{i}", key);
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
            configure?.Invoke(web);
        });

    /// <summary>
    /// Another channel to the same host (its own HTTP/2 connection; a TCP connection of its own over loopback)
    /// that sends <paramref name="apiKey"/>, or no key when null.
    /// </summary>
    public GrpcChannel CreateChannel(string? apiKey = ApiKey)
    {
        var options = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 32 * 1024 * 1024,
            Credentials = apiKey is null ? null : ChannelCredentials.Create(ChannelCredentials.Insecure, ApiKeyCredentials.Create(apiKey)),
            // No TLS in tests: the key only crosses memory or loopback.
            UnsafeUseInsecureChannelCallCredentials = true,
        };
        GrpcChannel channel;
        if (_loopbackAddress is { } address)
        {
            channel = GrpcChannel.ForAddress(address, options);
        }
        else
        {
            options.HttpHandler = _factory.Server.CreateHandler();
            channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, options);
        }
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
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
