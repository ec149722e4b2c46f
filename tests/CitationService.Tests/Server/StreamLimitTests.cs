using System.Text;
using CitationService.Contracts.V1;
using CitationService.Core.Storage;
using CitationService.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CitationService.Tests.Server;

/// <summary>Streams are capped per connection and in total, and give back what they hold however they end.</summary>
/// <remarks>
/// The tests share one service and its 20,000-paper hub (<see cref="StreamLimitHubFixture"/>): ingesting the hub takes
/// about a minute here. Each test starts and ends with no stream served.
/// </remarks>
public sealed class StreamLimitTests(StreamLimitHubFixture fixture) : IClassFixture<StreamLimitHubFixture>, IAsyncLifetime
{
    private const int HubPapers = StreamLimitHubFixture.HubPapers;
    private readonly ServerHost _host = fixture.Host;
    private readonly string _hubId = fixture.HubId;

    private string DatabasePath => fixture.DatabasePath;

    // A test that failed may have left streams open; the next one starts only once they are given back.
    public Task InitializeAsync() => _host.WaitForActiveStreamsAsync(0, TimeSpan.FromSeconds(10));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Streams_beyond_the_per_connection_or_total_cap_are_refused_and_a_stream_that_ends_gives_its_place_back()
    {
        using var second = _host.CreateChannel();
        var first = new HubService.HubServiceClient(_host.Channel);
        var other = new HubService.HubServiceClient(second);
        var open = new List<AsyncServerStreamingCall<StreamCitingPapersResponse>>();
        try
        {
            open.Add(await StartedStreamAsync(first));
            open.Add(await StartedStreamAsync(first));
            var perConnection = await Assert.ThrowsAsync<RpcException>(() => StartedStreamAsync(first));
            open.Add(await StartedStreamAsync(other));
            var total = await Assert.ThrowsAsync<RpcException>(() => StartedStreamAsync(other));

            Assert.Equal((StatusCode.ResourceExhausted, StatusCode.ResourceExhausted), (perConnection.StatusCode, total.StatusCode));
            Assert.Equal("this connection has its limit of 2 open streams; retry when one ends", perConnection.Status.Detail);
            Assert.Equal("the service is serving its limit of 3 streams; retry when one ends", total.Status.Detail);
            Assert.Equal(3, _host.ActiveStreams);

            open[0].Dispose();
            await _host.WaitForActiveStreamsAsync(2, TimeSpan.FromSeconds(10));
            open.Add(await StartedStreamAsync(first));
        }
        finally
        {
            open.ForEach(call => call.Dispose());
        }
        await _host.WaitForActiveStreamsAsync(0, TimeSpan.FromSeconds(10));
        Assert.Equal(HubPapers, await CountAsync(await StartedStreamAsync(other)));
    }

    [Fact]
    public async Task Two_hundred_concurrent_streams_hold_at_most_the_caps_database_connections_and_none_once_cancelled()
    {
        var channels = Enumerable.Range(0, 4).Select(_ => _host.CreateChannel()).ToList();
        // Idle connections (the pool's, and those the store keeps for its look-ups) are closed on both sides
        // of the comparison: what stays open after that is held by someone.
        await CloseIdleConnectionsAsync();
        var baseline = OpenDatabaseFiles();

        var attempts = Enumerable.Range(0, 200)
            .Select(i => TryStartStreamAsync(new HubService.HubServiceClient(channels[i % channels.Count])))
            .ToList();
        var calls = await Task.WhenAll(attempts);
        var served = calls.Where(call => call is not null).ToList();

        // A served stream holds its own connection (database file, WAL, shared memory: 3 files) while it
        // runs, and its hub look-up left at most one more in the pool.
        Assert.Equal(3, served.Count);
        Assert.Equal(3, _host.ActiveStreams);
        Assert.InRange(OpenDatabaseFiles(), baseline, baseline + 2 * 3 * served.Count);
        served.ForEach(call => call!.Dispose());
        await _host.WaitForActiveStreamsAsync(0, TimeSpan.FromSeconds(10));
        await CloseIdleConnectionsAsync();
        var after = OpenFiles.UnderOnceSettled(DatabasePath, count => count <= baseline);
        Assert.True(after <= baseline, $"{after} database files open after the streams ended, {baseline} before");
        channels.ForEach(channel => channel.Dispose());
    }

    [Fact]
    public async Task ClassifyStream_counts_against_the_per_connection_cap_and_gives_its_place_back_when_the_client_completes()
    {
        var client = new ClassificationService.ClassificationServiceClient(_host.Channel);
        var open = new List<AsyncDuplexStreamingCall<ClassifyStreamRequest, ClassifyStreamResponse>>();
        try
        {
            open.Add(await StartedClassifyStreamAsync(client));
            open.Add(await StartedClassifyStreamAsync(client));
            var refused = await Assert.ThrowsAsync<RpcException>(() => StartedClassifyStreamAsync(client));

            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Equal("this connection has its limit of 2 open streams; retry when one ends", refused.Status.Detail);
            Assert.Equal(2, _host.ActiveStreams);
            foreach (var call in open)
            {
                await call.RequestStream.CompleteAsync();
                Assert.False(await call.ResponseStream.MoveNext());
            }
            await _host.WaitForActiveStreamsAsync(0, TimeSpan.FromSeconds(10));
        }
        finally
        {
            open.ForEach(call => call.Dispose());
        }
    }

    /// <summary>A ClassifyStream call whose first answer has arrived: the server is serving it.</summary>
    private static async Task<AsyncDuplexStreamingCall<ClassifyStreamRequest, ClassifyStreamResponse>> StartedClassifyStreamAsync(ClassificationService.ClassificationServiceClient client)
    {
        var call = client.ClassifyStream();
        try
        {
            try
            {
                await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = "We fine-tune the model on their data." } });
            }
            catch (RpcException)
            {
                // A refused call can end while its request is still being written, and the write then fails with
                // Cancelled; the status the server sent is the one the response stream throws below.
            }
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>A started stream, or null when the service refused it for its caps.</summary>
    private async Task<AsyncServerStreamingCall<StreamCitingPapersResponse>?> TryStartStreamAsync(HubService.HubServiceClient client)
    {
        try
        {
            return await StartedStreamAsync(client);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            return null;
        }
    }

    /// <summary>A stream whose first paper has arrived: the server is serving it.</summary>
    private async Task<AsyncServerStreamingCall<StreamCitingPapersResponse>> StartedStreamAsync(HubService.HubServiceClient client)
    {
        var call = client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = _hubId });
        try
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>The papers of a started stream, its first one included.</summary>
    private static async Task<int> CountAsync(AsyncServerStreamingCall<StreamCitingPapersResponse> call)
    {
        using (call)
        {
            var count = 1;
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                count++;
            }
            return count;
        }
    }

    // The store's kept connections close into the pool: the pool is cleared after them.
    private async Task CloseIdleConnectionsAsync()
    {
        await ((SqlCitationStore)_host.Services.GetRequiredService<ICitationStore>()).CloseIdleConnectionsAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>File descriptors of this process open on the test's database (its file, WAL and shared memory).</summary>
    private int OpenDatabaseFiles() => OpenFiles.Under(DatabasePath);
}

/// <summary>
/// The service <see cref="StreamLimitTests"/> share, on a SQLite file, over loopback, capped at 3 streams and 2 per
/// connection, with one hub of <see cref="HubPapers"/> title-only papers: large enough that no stream ends before
/// its test ends it.
/// </summary>
public sealed class StreamLimitHubFixture : IAsyncLifetime
{
    public const int HubPapers = 20_000;
    private readonly TempFolder _folder = new();
    private ServerHost? _host;

    internal ServerHost Host => _host ?? throw new InvalidOperationException("not started");

    internal string HubId { get; private set; } = "";

    internal string DatabasePath => Path.Combine(_folder.Path, "citations.db");

    public async Task InitializeAsync()
    {
        _host = ServerHost.Start(TestDatabase.SqliteFile(DatabasePath), seedDirectory: "", configure: web =>
        {
            web.UseSetting("Streaming:MaxConcurrentStreams", "3");
            web.UseSetting("Streaming:MaxConcurrentStreamsPerConnection", "2");
        }, loopback: true);
        var page = new StringBuilder($"A Widely Cited Hub\n{HubPapers} Pith papers cite this work.\nciting papers explorer\n");
        for (var i = 0; i < HubPapers; i++)
        {
            page.Append("- Citing paper number ").Append(i.ToString("D6")).Append('\n');
        }
        HubId = (await new IngestionService.IngestionServiceClient(_host.Channel).IngestHubPageAsync(new IngestHubPageRequest { PageText = page.ToString() })).HubId;
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
