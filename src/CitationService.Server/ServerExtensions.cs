using CitationService.Core.Classification;
using CitationService.Core.Ingestion;
using CitationService.Server.Grpc;
using CitationService.Server.Startup;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CitationService.Server;

/// <summary>Composition of the gRPC surface: services, health, reflection, start-up tasks.</summary>
public static class ServerExtensions
{
    /// <summary>Largest request accepted, so a whole hub page fits in one IngestHubPage call.</summary>
    public const int MaxReceiveMessageSize = 16 * 1024 * 1024;

    public static IHostApplicationBuilder AddCitationServer(this IHostApplicationBuilder builder)
    {
        // One log line per request costs more than serving a look-up; request logs are opt-in through configuration.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // grpc-dotnet logs every failed call at Information with the exception's stack trace; the
        // ErrorMappingInterceptor logs one line per failure instead. Its Warning and Error lines stay.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server", LogLevel.Warning);
        builder.Services.AddOptions<SeedingOptions>().BindConfiguration(SeedingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StoredPaperClassifier>();
        builder.Services.AddSingleton<HubPageIngestor>();
        // Start-up tasks first: the sweep starts once the schema and the seeds are in place.
        builder.Services.AddHostedService<StartupTasks>();
        builder.Services.AddSingleton<LabelSweepService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LabelSweepService>());

        // gRPC over cleartext HTTP/2 (h2c); ASP.NET's default address is http://localhost:5000.
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Services.AddOptions<StreamLimitOptions>().BindConfiguration(StreamLimitOptions.Section)
            .Validate(o => o.MaxConcurrentStreams > 0 && o.MaxConcurrentStreamsPerConnection > 0, "Streaming limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ErrorMappingInterceptor>();
        builder.Services.AddSingleton<StreamLimitInterceptor>();
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            // First, so it is the outermost: it sees what every other interceptor lets escape.
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.Interceptors.Add<StreamLimitInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddGrpcHealthChecks(options =>
        {
            // Answer each Check from a fresh run of the health checks, not from a periodically published cache.
            options.UseHealthChecksCache = false;
            foreach (var service in new[] { "citations.v1.HubService", "citations.v1.IngestionService", "citations.v1.ClassificationService" })
            {
                options.Services.Map(service, _ => true);
            }
        });
        // Last, after every Add*Grpc* call that could register it: grpc-dotnet's binder gives way to one that
        // turns a request that does not parse into a status (RequestParsingMethodProvider says why).
        builder.Services.Remove(builder.Services.Single(service =>
            service.ServiceType == typeof(IServiceMethodProvider<>) && service.ImplementationType?.Name == "BinderServiceMethodProvider`1"));
        builder.Services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(RequestParsingMethodProvider<>));
        return builder;
    }

    public static WebApplication MapCitationServices(this WebApplication app)
    {
        app.MapGrpcService<HubGrpcService>();
        app.MapGrpcService<IngestionGrpcService>();
        app.MapGrpcService<ClassificationGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
