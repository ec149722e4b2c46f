using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// The second server of a <c>--postgres</c> run: a <see cref="PostgresDatabase"/> created for the run and a server
/// process storing in it, with as many channels as the first server has. Disposing stops the server and drops
/// the database (and stops the cluster the bench started).
/// </summary>
public sealed class PostgresTarget : IAsyncDisposable
{
    private PostgresTarget(PostgresDatabase database, ServerProcess server, List<GrpcChannel> channels, TimeSpan servingAfter)
    {
        Database = database;
        Server = server;
        Channels = channels;
        ServingAfter = servingAfter;
    }

    public PostgresDatabase Database { get; }
    public ServerProcess Server { get; }
    public IReadOnlyList<GrpcChannel> Channels { get; }

    /// <summary>Process start to the first SERVING answer (migrations and seed pages on PostgreSQL included).</summary>
    public TimeSpan ServingAfter { get; }

    public BenchTarget Target => new("PostgreSQL", Server, Channels, Database.Cpu);

    public static async Task<PostgresTarget> StartAsync(RepoLayout repo, BenchOptions options, CancellationToken cancellationToken)
    {
        var database = await PostgresDatabase.CreateAsync(options.PostgresConnectionString, cancellationToken);
        ServerProcess? server = null;
        try
        {
            server = ServerProcess.Start(repo, options.KeepRequestLogs, database.ConnectionString);
            var servingAfter = await server.WaitUntilServingAsync(StartupBenchmark.Timeout, cancellationToken);
            return new PostgresTarget(database, server, global::CitationService.Bench.Channels.CreateMany(server.Address, server.ApiKey, options.Channels), servingAfter);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in Channels)
        {
            channel.Dispose();
        }
        // The server first: the database is dropped (or the cluster stopped) under no live client.
        await Server.DisposeAsync();
        await Database.DisposeAsync();
    }
}
