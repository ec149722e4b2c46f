using CitationService.Contracts.V1;
using CitationService.Server.Grpc;
using CitationService.Contracts;
using CitationService.Core.Storage;
using CitationService.Storage.PostgreSql;
using CitationService.Storage.Sqlite;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CitationService.Tests.Server;

/// <summary>
/// The real service in-process: a real database (<see cref="TestDatabase"/>: a SQLite file or a PostgreSQL
/// database), real models, real HTTP/2 gRPC calls through the test server's handler, or over loopback TCP to
/// Kestrel. Starting one runs the service's start-up (migrations, seeds).
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    /// <summary>The API key a host is configured with unless told otherwise, and that channels send unless told otherwise.</summary>
    public const string ApiKey = "test-api-key-6f1c2a";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly Uri? _loopbackAddress;
    private readonly List<GrpcChannel> _channels = [];

    private ServerHost(WebApplicationFactory<Program> factory, bool loopback)
    {
        _factory = factory;
        if (loopback)
        {
            // An explicit endpoint on a port the system picks: UseKestrel(0) alone still bound the default
            // http://localhost:5000 here, so the loopback tests failed whenever anything held port 5000.
            _factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            _factory.StartServer();
            _loopbackAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        // Without Kestrel, creating the test server's handler builds and starts the host.
        Channel = CreateChannel();
    }

    /// <summary>The address Kestrel listens on over loopback (<c>http://127.0.0.1:port</c>); only for a loopback host.</summary>
    public Uri Address => _loopbackAddress ?? throw new InvalidOperationException("not started over loopback");

    /// <summary>A channel that sends <see cref="ApiKey"/> with every call.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>
    /// Another channel to the same host: its own HTTP/2 connection (its own TCP connection over loopback), sending
    /// <paramref name="apiKey"/> with every call (no key when null). With <paramref name="defaultLimits"/>,
    /// Grpc.Net.Client's default limits (4 MB received), as most clients have.
    /// </summary>
    public GrpcChannel CreateChannel(string? apiKey = ApiKey, bool defaultLimits = false)
    {
        var options = new GrpcChannelOptions
        {
            Credentials = apiKey is null ? null : ChannelCredentials.Create(ChannelCredentials.Insecure, ApiKeyCredentials.Create(apiKey)),
            // No TLS in tests: the key only crosses memory or loopback.
            UnsafeUseInsecureChannelCallCredentials = true,
        };
        if (!defaultLimits)
        {
            options.MaxReceiveMessageSize = 32 * 1024 * 1024;
        }
        if (_loopbackAddress is null)
        {
            options.HttpHandler = _factory.Server.CreateHandler();
        }
        var channel = GrpcChannel.ForAddress(_loopbackAddress ?? _factory.Server.BaseAddress, options);
        _channels.Add(channel);
        return channel;
    }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Streams the service is serving now (<see cref="StreamLimitInterceptor"/>).</summary>
    public int ActiveStreams => Services.GetRequiredService<StreamLimitInterceptor>().ActiveStreams;

    /// <summary>Waits until the service serves <paramref name="expected"/> streams; fails after <paramref name="within"/>.</summary>
    public async Task WaitForActiveStreamsAsync(int expected, TimeSpan within)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (ActiveStreams != expected)
        {
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            Assert.True(waited < within, $"{ActiveStreams} streams still active after {waited}, {expected} expected");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Starts the service on <paramref name="database"/>, seeding from <paramref name="seedDirectory"/>
    /// ("" for none); <paramref name="configure"/> adds settings or replaces services after the defaults. On
    /// Kestrel over loopback when <paramref name="loopback"/> (real TCP connections, each channel its own).
    /// The service accepts <paramref name="apiKeys"/> (default: <see cref="ApiKey"/>; empty: none).
    /// </summary>
    public static ServerHost Start(
        TestDatabase database, string? seedDirectory = null, string? modelsDirectory = null,
        Action<IWebHostBuilder>? configure = null, bool loopback = false, IReadOnlyList<string>? apiKeys = null)
    {
        var host = new ServerHost(CreateFactory(database, seedDirectory, modelsDirectory, configure, apiKeys), loopback);
        // What the service runs on is what the test asked for, whatever settings it was also given.
        var store = host.Services.GetRequiredService<ICitationStore>();
        Assert.IsType(database.Engine == TestEngine.PostgreSql ? typeof(PostgreSqlCitationStore) : typeof(SqliteCitationStore), store);
        return host;
    }

    /// <summary>The factory <see cref="Start"/> uses, not yet started (for a test that starts it otherwise).</summary>
    public static WebApplicationFactory<Program> CreateFactory(
        TestDatabase database, string? seedDirectory = null, string? modelsDirectory = null,
        Action<IWebHostBuilder>? configure = null, IReadOnlyList<string>? apiKeys = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in database.Settings)
            {
                web.UseSetting(key, value);
            }
            web.UseSetting("Seeding:Directory", seedDirectory ?? RepositoryPaths.Seeds);
            web.UseSetting("Classification:ModelsDirectory", modelsDirectory ?? RepositoryPaths.Models);
            foreach (var (key, i) in (apiKeys ?? [ApiKey]).Select((key, i) => (key, i)))
            {
                web.UseSetting($"Security:ApiKeys:{i}", key);
            }
            configure?.Invoke(web);
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await _factory.DisposeAsync();
    }
}

/// <summary>
/// One service started on the seed pages over a database of its own, shared by the read-only tests of a class.
/// A test class takes the fixture of the engine it runs on.
/// </summary>
public abstract class SeededServerFixture(TestEngine engine, bool loopback = false) : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServerHost? _host;

    internal ServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _host = ServerHost.Start(_database, loopback: loopback);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>On a SQLite file.</summary>
    public sealed class OnSqlite() : SeededServerFixture(TestEngine.Sqlite);

    /// <summary>On a PostgreSQL database.</summary>
    public sealed class OnPostgreSql() : SeededServerFixture(TestEngine.PostgreSql);

    /// <summary>On a SQLite file, served by Kestrel over loopback TCP: for what only a real connection shows (HTTP/2 flow control, stalls).</summary>
    public sealed class OnSqliteOverLoopback() : SeededServerFixture(TestEngine.Sqlite, loopback: true);
}

/// <summary>
/// Each test on a service of its own, over a database of its own on <paramref name="engine"/>, started without
/// seeds. A class that runs on both engines is abstract, with a sealed subclass per engine.
/// </summary>
public abstract class FreshServerTests(TestEngine engine) : IAsyncLifetime
{
    /// <summary>The test's service; a test may replace it (a restart on the same database).</summary>
    private protected ServerHost Host { get; set; } = null!;

    /// <summary>The test's database.</summary>
    private protected TestDatabase Database { get; private set; } = null!;

    protected IngestionService.IngestionServiceClient Ingestion => new(Host.Channel);

    protected HubService.HubServiceClient Hubs => new(Host.Channel);

    /// <summary>Served by Kestrel over loopback TCP rather than through the in-memory test server.</summary>
    protected virtual bool Loopback => false;

    /// <summary>Settings or services the tests of a class add to their service (none by default).</summary>
    private protected virtual void Configure(IWebHostBuilder web)
    {
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(engine);
        Host = ServerHost.Start(Database, seedDirectory: "", configure: Configure, loopback: Loopback);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
