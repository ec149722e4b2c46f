using System.Diagnostics;
using System.Text;
using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>
/// StreamCitingPapers over a hub of 100,000 papers, on each engine: the whole stream, a client that cancels, a
/// deadline that passes. The tests of a class share one service and its hub (ingesting it is most of their time)
/// and run one after another, so each finds the service serving no stream.
/// </summary>
public abstract class LargeHubStreamingTests(LargeHubStreamingTests.Fixture fixture)
{
    private const int Papers = 100_000;

    public sealed class OnSqlite(Fixture.OnSqlite fixture) : LargeHubStreamingTests(fixture), IClassFixture<Fixture.OnSqlite>;

    public sealed class OnPostgreSql(Fixture.OnPostgreSql fixture) : LargeHubStreamingTests(fixture), IClassFixture<Fixture.OnPostgreSql>;

    private ServerHost Host => fixture.Host;

    private HubService.HubServiceClient Hubs => new(Host.Channel);

    [Fact]
    public async Task StreamCitingPapers_sends_all_100000_papers_of_a_hub_in_page_order()
    {
        var count = 0;
        using var call = Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = fixture.HubId });
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            Assert.Equal(count, item.CitingPaper.Position);
            count++;
        }

        Assert.Equal(Papers, count);
    }

    [Fact]
    public async Task StreamCitingPapers_stops_when_the_client_cancels_mid_stream_and_the_service_keeps_serving()
    {
        using var cancellation = new CancellationTokenSource();

        var received = 0;
        var thousandth = 0L;
        var perThousand = TimeSpan.Zero;
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = fixture.HubId }, cancellationToken: cancellation.Token);
            await foreach (var _ in call.ResponseStream.ReadAllAsync(cancellation.Token))
            {
                if (++received == 1_000)
                {
                    thousandth = Stopwatch.GetTimestamp();
                }
                else if (received == 2_000)
                {
                    perThousand = Stopwatch.GetElapsedTime(thousandth);
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.InRange(received, 2_000, Papers - 1);
        // The server stops too: its handler ends (and gives its stream's place back) long before it could
        // have read the other 98,000 papers: within the time of 40,000 at the pace the stream had (the bound
        // scales with this machine's load, as that pace does; a handler that reads on needs 98,000).
        await Host.WaitForActiveStreamsAsync(0, within: TimeSpan.FromMilliseconds(Math.Max(500, 40 * perThousand.TotalMilliseconds)));
        Assert.Equal(Papers, (await Hubs.GetHubAsync(new GetHubRequest { HubId = fixture.HubId })).Hub.StoredCitingCount);
    }

    [Fact]
    public async Task StreamCitingPapers_ends_with_deadline_exceeded_when_the_deadline_passes_mid_stream()
    {
        var deadline = TimeSpan.FromMilliseconds(300);
        var started = Stopwatch.GetTimestamp();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = fixture.HubId }, deadline: DateTime.UtcNow + deadline);
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                // A slow reader: the deadline passes long before 100,000 papers are read.
                await Task.Delay(1);
            }
        });
        var elapsed = Stopwatch.GetElapsedTime(started);

        // Client and server both watch the deadline: the client ends the call with DeadlineExceeded, and the
        // server resets the stream, which the client reports as Unavailable when the reset arrives before its
        // own timer fires. Either way the call ends at the deadline, not after 100,000 slow reads (100 s or more).
        var endedAtDeadline = e.StatusCode == StatusCode.DeadlineExceeded
            || (e.StatusCode == StatusCode.Unavailable && e.Status.Detail.Contains("reset the request", StringComparison.Ordinal));
        Assert.True(endedAtDeadline, $"expected DeadlineExceeded or the server's reset, got {e.Status}");
        Assert.InRange(elapsed, deadline - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
    }

    /// <summary>A service without seeds on a database of its own, holding one hub of <see cref="Papers"/> title-only papers.</summary>
    public abstract class Fixture(TestEngine engine) : IAsyncLifetime
    {
        private TestDatabase? _database;
        private ServerHost? _host;

        internal ServerHost Host => _host ?? throw new InvalidOperationException("not started");

        public string HubId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateAsync(engine);
            _host = ServerHost.Start(_database, seedDirectory: "");
            var page = new StringBuilder($"A Very Widely Cited Hub\n{Papers} Pith papers cite this work.\nciting papers explorer\n");
            for (var i = 0; i < Papers; i++)
            {
                page.Append("- Citing paper number ").Append(i.ToString("D6")).Append('\n');
            }
            var response = await new IngestionService.IngestionServiceClient(_host.Channel).IngestHubPageAsync(new IngestHubPageRequest { PageText = page.ToString() });
            Assert.Equal(Papers, response.CitingPapersAdded);
            HubId = response.HubId;
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

        public sealed class OnSqlite() : Fixture(TestEngine.Sqlite);

        public sealed class OnPostgreSql() : Fixture(TestEngine.PostgreSql);
    }
}
