using System.Security.Cryptography;
using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>
/// Two replicas of the service: two real server processes started together (so both migrate and seed at once) on
/// one PostgreSQL database, with one page-token key. Whatever reaches one replica, the other serves the same.
/// The tests share the replicas and their database; each writes hubs of its own.
/// </summary>
public sealed class ReplicaTests(ReplicaTests.Replicas replicas) : IClassFixture<ReplicaTests.Replicas>
{
    private const string NpoTitle = "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning";

    // The Pith addresses of the hubs the tests write, apart from the seed hubs.
    private const string ServedUuid = "5e1f0c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    private const string ConcurrentUuid = "6f2a1d4b-2c3d-4e6f-9a01-b2c3d4e5f6a7";
    private const string SummaryUuid = "7a3b2e5c-3d4e-4f7a-8b12-c3d4e5f6a7b8";
    private static readonly string[] TestHubUuids = [ServedUuid, ConcurrentUuid, SummaryUuid];

    private HubService.HubServiceClient HubsOnA => new(replicas.A.Channel);

    private HubService.HubServiceClient HubsOnB => new(replicas.B.Channel);

    [Fact]
    public async Task Replicas_started_together_on_one_database_store_each_seed_hub_once_and_list_the_same_hubs()
    {
        var onA = await HubsOnA.ListHubsAsync(new ListHubsRequest { PageSize = 100 });
        var onB = await HubsOnB.ListHubsAsync(new ListHubsRequest { PageSize = 100 });

        // The same hubs to the tick of their ingest: one row each, written by whichever replica came first.
        Assert.Equal(onA, onB);
        var seedHubs = onA.Hubs.Where(hub => !TestHubUuids.Contains(hub.PithId)).ToList();
        Assert.Equal(4, seedHubs.Count);
        Assert.Equal(4, seedHubs.Select(hub => hub.Title).Distinct().Count());
        var npo = seedHubs.Single(hub => hub.Title == NpoTitle);
        Assert.Equal(27, npo.StoredCitingCount);
        var papers = await StreamAsync(HubsOnB, npo.Id);
        Assert.Equal(27, papers.Select(paper => paper.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_hub_page_ingested_through_one_replica_is_served_by_the_other_with_the_same_papers_and_labels()
    {
        var ingested = await Ingest(replicas.A, LabelConsistencyTests.Page("An abstract.", 0, 40, "served"), ServedUuid);

        var hubOnA = (await HubsOnA.GetHubAsync(new GetHubRequest { HubId = ingested.HubId })).Hub;
        var hubOnB = (await HubsOnB.GetHubAsync(new GetHubRequest { HubId = ingested.HubId })).Hub;
        var streamedOnA = await StreamAsync(HubsOnA, ingested.HubId);
        var streamedOnB = await StreamAsync(HubsOnB, ingested.HubId);
        var listedOnB = await HubsOnB.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = ingested.HubId, PageSize = 100 });

        Assert.Equal((true, 40, 40), (ingested.HubCreated, ingested.CitingPapersAdded, ingested.CitingPapersLabelled));
        Assert.Equal(hubOnA, hubOnB);
        Assert.Equal(40, hubOnB.StoredCitingCount);
        Assert.Equal(40, streamedOnB.Count);
        Assert.Equal(streamedOnA, streamedOnB);
        Assert.Equal(streamedOnB, listedOnB.CitingPapers);
        AssertLabelled(streamedOnB);
    }

    [Fact]
    public async Task Concurrent_ingests_of_one_hub_through_both_replicas_leave_one_hub_with_every_paper_once_and_labelled()
    {
        // Ten renderings of one hub, each of 24 papers in a window 8 papers on from the last: every paper is on one
        // to three of them, 96 in all. Every second one goes through each replica, all at once.
        const int pages = 10, window = 24, step = 8, papers = (pages - 1) * step + window;
        var ingests = Enumerable.Range(0, pages).Select(k => Task.Run(() =>
            Ingest(k % 2 == 0 ? replicas.A : replicas.B, LabelConsistencyTests.Page("An abstract.", k * step, k * step + window, "concurrent"), ConcurrentUuid)));
        var results = await Task.WhenAll(ingests);

        var hubId = Assert.Single(results.Select(r => r.HubId).Distinct());
        Assert.Single(results, r => r.HubCreated);
        Assert.All(results, r => Assert.Equal(0, r.CitingPapersAwaitingLabels));
        Assert.Single((await HubsOnB.ListHubsAsync(new ListHubsRequest { PageSize = 100 })).Hubs, hub => hub.PithId == ConcurrentUuid);
        var streamedOnA = await StreamAsync(HubsOnA, hubId);
        var streamedOnB = await StreamAsync(HubsOnB, hubId);
        Assert.Equal(
            Enumerable.Range(0, papers).Select(i => $"Citing paper {i:D5}"),
            streamedOnA.Select(paper => paper.Title).Order(StringComparer.Ordinal));
        Assert.Equal(streamedOnA, streamedOnB);
        Assert.Equal(papers, (await HubsOnA.GetHubAsync(new GetHubRequest { HubId = hubId })).Hub.StoredCitingCount);
        Assert.Equal((await HubsOnA.GetHubAsync(new GetHubRequest { HubId = hubId })).Hub, (await HubsOnB.GetHubAsync(new GetHubRequest { HubId = hubId })).Hub);
        AssertLabelled(streamedOnB);
        // Labelled as the models label each summary with the hub, whichever replica wrote it.
        var classification = new ClassificationService.ClassificationServiceClient(replicas.B.Channel);
        foreach (var paper in streamedOnA)
        {
            var now = await classification.ClassifyAsync(new ClassifyRequest { Text = paper.Summary, HubId = hubId });
            Assert.Equal((now.Role, now.Polarity), (paper.Role, paper.Polarity));
        }
    }

    [Fact]
    public async Task GetHubSummary_counts_agree_between_replicas_after_each_wrote_the_hub()
    {
        var first = await Ingest(replicas.A, LabelConsistencyTests.Page("An abstract.", 0, 30, "summary"), SummaryUuid);
        // Through the other replica: ten more papers, and another abstract, so the thirty stored ones are relabelled.
        var second = await Ingest(replicas.B, LabelConsistencyTests.Page("Another abstract.", 0, 40, "summary"), SummaryUuid);

        var onA = await HubsOnA.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = first.HubId });
        var onB = await HubsOnB.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = first.HubId });

        Assert.Equal((first.HubId, true, 10, 30, 40), (second.HubId, second.HubUpdated, second.CitingPapersAdded, second.CitingPapersUnchanged, second.CitingPapersLabelled));
        Assert.Equal(onA, onB);
        Assert.Equal(40, onB.CitingPaperCount);
        Assert.Equal((0, 0), (onB.UnclassifiedRoleCount, onB.UnclassifiedPolarityCount));
        Assert.Equal(40, onB.RoleCounts.Sum(c => c.Count) + onB.LowConfidenceRoleCounts.Sum(c => c.Count));
        Assert.Equal(40, onB.PolarityCounts.Sum(c => c.Count) + onB.LowConfidencePolarityCounts.Sum(c => c.Count));
        foreach (var hub in (await HubsOnA.ListHubsAsync(new ListHubsRequest { PageSize = 100 })).Hubs)
        {
            Assert.Equal(
                await HubsOnA.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id }),
                await HubsOnB.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hub.Id }));
        }
    }

    [Fact]
    public async Task ListCitingPapers_continues_on_one_replica_from_a_page_token_the_other_gave()
    {
        var hub = (await HubsOnA.GetHubAsync(new GetHubRequest { Title = NpoTitle })).Hub;
        var request = new ListCitingPapersRequest { HubId = hub.Id, PageSize = 10 };

        var first = await HubsOnA.ListCitingPapersAsync(request);
        var secondOnB = await HubsOnB.ListCitingPapersAsync(new ListCitingPapersRequest(request) { PageToken = first.NextPageToken });
        var secondOnA = await HubsOnA.ListCitingPapersAsync(new ListCitingPapersRequest(request) { PageToken = first.NextPageToken });
        var thirdOnA = await HubsOnA.ListCitingPapersAsync(new ListCitingPapersRequest(request) { PageToken = secondOnB.NextPageToken });

        Assert.Equal(secondOnA, secondOnB);
        Assert.Equal("", thirdOnA.NextPageToken);
        Assert.Equal(
            (await StreamAsync(HubsOnA, hub.Id)).Select(paper => paper.Id),
            first.CitingPapers.Concat(secondOnB.CitingPapers).Concat(thirdOnA.CitingPapers).Select(paper => paper.Id));
    }

    private static Task<IngestHubPageResponse> Ingest(ServerProcess replica, string page, string pithUuid) =>
        new IngestionService.IngestionServiceClient(replica.Channel)
            .IngestHubPageAsync(new IngestHubPageRequest { PageText = page, SourceUrl = $"https://pith.science/citations/{pithUuid}" }).ResponseAsync;

    private static Task<List<CitingPaper>> StreamAsync(HubService.HubServiceClient hubs, string hubId) =>
        HubServiceTests.ReadAllAsync(hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hubId }));

    private static void AssertLabelled(IEnumerable<CitingPaper> papers) => Assert.All(papers, paper =>
    {
        Assert.True(paper.HasSummary);
        Assert.NotEqual(CitationRole.Unspecified, paper.Role.Role);
        Assert.NotEqual(CitationPolarity.Unspecified, paper.Polarity.Polarity);
    });

    /// <summary>
    /// Replicas A and B of the service on one fresh PostgreSQL database, seeded from the repository's seed pages,
    /// started at the same moment. Disposing kills both and drops the database, whatever happened before.
    /// </summary>
    public sealed class Replicas : IAsyncLifetime
    {
        private const string ApiKey = "replica-test-key-4e8a";
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

        private TestDatabase? _database;
        private ServerProcess? _a;
        private ServerProcess? _b;

        internal ServerProcess A => _a ?? throw new InvalidOperationException("not started");

        internal ServerProcess B => _b ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            try
            {
                _database = await TestDatabase.CreateAsync(TestEngine.PostgreSql);
                // One key on both, as the README asks of instances that hand each other page tokens.
                var secrets = new Dictionary<string, string> { ["Security:PageTokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
                _a = ServerProcess.Start(_database, ApiKey, RepositoryPaths.Seeds, secrets);
                _b = ServerProcess.Start(_database, ApiKey, RepositoryPaths.Seeds, secrets);
                await Task.WhenAll(_a.WaitUntilServingAsync(StartTimeout), _b.WaitUntilServingAsync(StartTimeout));
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        public async Task DisposeAsync()
        {
            try
            {
                _a?.Dispose();
            }
            finally
            {
                try
                {
                    _b?.Dispose();
                }
                finally
                {
                    (_a, _b) = (null, null);
                    if (_database is not null)
                    {
                        await _database.DisposeAsync();
                        _database = null;
                    }
                }
            }
        }
    }
}
