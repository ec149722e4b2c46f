using CitationService.Contracts.V1;
using Grpc.Core;

namespace CitationService.Tests.Server;

/// <summary>IngestionService and start-up seeding, each test on its own database, on each engine.</summary>
public abstract class IngestionServiceTests(TestEngine engine) : FreshServerTests(engine)
{
    public sealed class OnSqlite() : IngestionServiceTests(TestEngine.Sqlite);

    public sealed class OnPostgreSql() : IngestionServiceTests(TestEngine.PostgreSql);

    private const string PageUrl = "https://pith.science/citations/test-hub";

    [Fact]
    public async Task IngestHubPage_changes_nothing_when_the_same_page_is_ingested_twice()
    {
        var page = SeedPages.Text(SeedPages.Npo);

        var first = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page });
        var hubBefore = (await Hubs.GetHubAsync(new GetHubRequest { HubId = first.HubId })).Hub;
        var second = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page });
        var hubAfter = (await Hubs.GetHubAsync(new GetHubRequest { HubId = first.HubId })).Hub;

        Assert.True(first.HubCreated);
        Assert.Equal(27, first.CitingPapersAdded);
        Assert.Equal(first.HubId, second.HubId);
        Assert.False(second.HubCreated);
        Assert.False(second.HubUpdated);
        Assert.Equal((0, 0, 27), (second.CitingPapersAdded, second.CitingPapersUpdated, second.CitingPapersUnchanged));
        Assert.Equal(hubBefore, hubAfter);
    }

    [Fact]
    public async Task IngestHubPage_updates_the_hub_matched_by_source_url_when_a_newer_page_differs()
    {
        var older = "Title resolution pending\n2 Pith papers cite this work.\nciting papers explorer\n-\nPaper One\nIt does one thing.\n- Paper Two";
        var newer = "Pythia Revisited\n3 Pith papers cite this work.\nciting papers explorer\n-\nPaper One\nIt does one thing better.\n- Paper Two\n- Paper Three";

        var first = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = older, SourceUrl = PageUrl });
        var second = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = newer, SourceUrl = PageUrl });
        var hub = (await Hubs.GetHubAsync(new GetHubRequest { HubId = first.HubId })).Hub;

        Assert.Equal(first.HubId, second.HubId);
        Assert.True(second.HubUpdated);
        Assert.Equal((1, 1, 1), (second.CitingPapersAdded, second.CitingPapersUpdated, second.CitingPapersUnchanged));
        Assert.Equal("Pythia Revisited", hub.Title);
        Assert.Equal(3, hub.StatedCitingCount);
        Assert.Equal(3, hub.StoredCitingCount);
    }

    [Fact]
    public async Task IngestHubPage_reclassifies_every_paper_of_a_hub_whose_abstract_changed_and_keeps_other_hubs_labels()
    {
        var page = SeedPages.Text(SeedPages.Npo);
        const string oldStart = "Large Language Models (LLMs) often memorize sensitive, private, or copyrighted data during pre-training.";
        Assert.Contains(oldStart, page);
        var first = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page });
        var other = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = SeedPages.Text(SeedPages.ToEach) });
        // A mark no model gives: a label that still carries it was not recomputed.
        const float mark = 0.123456f;
        Assert.Equal(2 * (26 + 3), await Database.ExecuteAsync("UPDATE citing_paper_labels SET confidence = 0.123456"));

        var second = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page.Replace(oldStart, "A revised abstract.", StringComparison.Ordinal) });

        Assert.Equal(first.HubId, second.HubId);
        Assert.True(second.HubUpdated);
        Assert.Equal((0, 0, 27), (second.CitingPapersAdded, second.CitingPapersUpdated, second.CitingPapersUnchanged));
        Assert.StartsWith("A revised abstract.", (await Hubs.GetHubAsync(new GetHubRequest { HubId = first.HubId })).Hub.Abstract);
        var classification = new ClassificationService.ClassificationServiceClient(Host.Channel);
        var papers = (await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = first.HubId })))
            .Where(p => p.HasSummary).ToList();
        Assert.Equal(26, papers.Count);
        foreach (var paper in papers)
        {
            // What the current summary models say of this summary read with the hub as it now stands.
            var now = await classification.ClassifyAsync(new ClassifyRequest { Text = paper.Summary, HubId = first.HubId });
            Assert.Equal(now.Role, paper.Role);
            Assert.Equal(now.Polarity, paper.Polarity);
        }
        var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = first.HubId });
        Assert.Equal((1, 1), (summary.UnclassifiedRoleCount, summary.UnclassifiedPolarityCount));
        var otherPapers = (await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = other.HubId })))
            .Where(p => p.HasSummary).ToList();
        Assert.Equal(3, otherPapers.Count);
        foreach (var paper in otherPapers)
        {
            var now = await classification.ClassifyAsync(new ClassifyRequest { Text = paper.Summary, HubId = other.HubId });
            Assert.Equal((now.Role.ModelVersion, now.Polarity.ModelVersion), (paper.Role.ModelVersion, paper.Polarity.ModelVersion));
            Assert.Equal((mark, mark), (paper.Role.Confidence, paper.Polarity.Confidence));
        }
    }

    [Fact]
    public async Task IngestHubPage_reports_a_warning_and_keeps_complete_entries_when_the_page_is_cut_off()
    {
        var response = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = SeedPages.Text(SeedPages.Pythia) });
        var papers = await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = response.HubId }));

        Assert.NotEmpty(response.Warnings);
        Assert.Equal(["Theoretical Limits of Language Model Alignment", "Layer Collapse in Diffusion Language Models"], papers.Select(p => p.Title));
        Assert.False(papers[1].HasSummary);
    }

    [Theory]
    [InlineData("Just a sentence about nothing in particular.")]
    [InlineData("27 Pith papers cite this work.\ncitation-role summary\nbackground 3")]
    public async Task IngestHubPage_rejects_text_that_is_not_a_hub_page_and_stores_nothing(string text)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = text }).ResponseAsync);
        var hubs = await Hubs.ListHubsAsync(new ListHubsRequest());

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("page_text:", e.Status.Detail);
        Assert.Empty(hubs.Hubs);
    }

    [Theory]
    [InlineData("", "", "page_text: must not be empty")]
    [InlineData(" \n ", "", "page_text: must not be empty")]
    [InlineData("Title\n3 Pith papers cite this work.", "not a url", "source_url: 'not a url' is not an absolute http(s) URL")]
    [InlineData("Title\n3 Pith papers cite this work.", "ftp://example.org/hub", "source_url: 'ftp://example.org/hub' is not an absolute http(s) URL")]
    public async Task IngestHubPage_rejects_invalid_fields_naming_them(string text, string url, string detail)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = text, SourceUrl = url }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(detail, e.Status.Detail);
    }

    [Fact]
    public async Task IngestHubPage_fails_with_resource_exhausted_for_a_request_over_16_MiB_and_stores_nothing()
    {
        var page = "A Hub\n1 Pith paper cites this work.\nciting papers explorer\n- " + new string('x', 17 * 1024 * 1024);

        var e = await Assert.ThrowsAsync<RpcException>(() => Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Empty((await Hubs.ListHubsAsync(new ListHubsRequest())).Hubs);
    }

    [Fact]
    public async Task Restart_on_the_same_database_reingests_the_seeds_without_changing_anything()
    {
        await Host.DisposeAsync();
        Host = ServerHost.Start(Database);
        var before = await SnapshotAsync();

        await Host.DisposeAsync();
        Host = ServerHost.Start(Database);
        var after = await SnapshotAsync();

        Assert.Equal(4, before.Hubs.Count);
        Assert.Equal(before.Hubs, after.Hubs);
        Assert.Equal(before.Papers, after.Papers);
    }

    private async Task<(List<Hub> Hubs, List<CitingPaper> Papers)> SnapshotAsync()
    {
        var hubs = (await Hubs.ListHubsAsync(new ListHubsRequest { PageSize = 100 })).Hubs.ToList();
        var papers = new List<CitingPaper>();
        foreach (var hub in hubs)
        {
            papers.AddRange(await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hub.Id })));
        }
        return (hubs, papers);
    }
}
