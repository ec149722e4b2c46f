using System.Diagnostics;
using System.Text;
using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using CoreModel = CitationService.Core.Model;

namespace CitationService.Tests.Server;

/// <summary>
/// Every stored label belongs to the stored summary and hub, whatever order ingests land in: labels are
/// written with their rows, and the background sweep never writes over a paper an ingest has touched.
/// </summary>
public abstract class LabelConsistencyTests(TestEngine engine) : FreshServerTests(engine)
{
    public sealed class OnSqlite() : LabelConsistencyTests(TestEngine.Sqlite)
    {
        // On SQLite only, for the suite's time: it labels 50,000 papers, about a minute here on either engine
        // (it passes on PostgreSQL: move it up to run it on both).
        [Fact]
        public async Task An_ingest_cut_off_by_its_deadline_stores_nothing_and_leaves_no_backlog()
        {
            const int papers = 50_000;
            var page = Page("An abstract.", 0, papers, "big");
            // How long this page takes here and now, as another hub's: the deadline below passes a third of the way
            // in, inside the handler's labelling (most of the time), on a loaded machine and an idle one alike.
            var measured = Stopwatch.GetTimestamp();
            await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = page, SourceUrl = PageUrl + "/measured" });
            var deadline = Stopwatch.GetElapsedTime(measured) / 3;

            var error = await Assert.ThrowsAsync<RpcException>(() => Ingestion.IngestHubPageAsync(
                new IngestHubPageRequest { PageText = page, SourceUrl = PageUrl }, deadline: DateTime.UtcNow + deadline).ResponseAsync);

            Assert.True(error.StatusCode == StatusCode.DeadlineExceeded, $"expected DeadlineExceeded after {deadline}, got {error.Status}");
            // The server gives up with its caller: nothing of the page is stored, so no label is owed.
            await Database.WaitForWritesAsync();
            Assert.Equal(0L, await Database.ScalarAsync(
                $"SELECT count(*) FROM citing_papers c JOIN hubs h ON h.id = c.hub_id WHERE h.source_url = '{PageUrl}'"));
            Assert.Equal(0L, await Database.ScalarAsync("SELECT count(*) FROM citing_papers c WHERE c.summary IS NOT NULL AND NOT EXISTS (SELECT 1 FROM citing_paper_labels l WHERE l.paper_key = c.paper_key)"));
            var started = Stopwatch.GetTimestamp();
            var small = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("Small.", 0, 3, "small"), SourceUrl = PageUrl + "/small" });
            Assert.Equal(3, small.CitingPapersLabelled);
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"a 3-paper ingest took {Stopwatch.GetElapsedTime(started)}");
        }
    }

    public sealed class OnPostgreSql() : LabelConsistencyTests(TestEngine.PostgreSql);

    private const string PageUrl = "https://pith.science/citations/label-consistency";
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromSeconds(60);

    // Real HTTP/2 over TCP: when the server's own deadline fires first, it resets the stream, which the gRPC
    // client reads as DEADLINE_EXCEEDED; the in-memory test server hands the client an exception it reports
    // as INTERNAL instead.
    protected override bool Loopback => true;

    [Fact]
    public async Task Concurrent_reingests_of_a_1500_paper_hub_leave_every_label_belonging_to_its_stored_summary_and_hub()
    {
        const int papers = 1500;
        var first = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("First abstract.", 0, papers, "first"), SourceUrl = PageUrl });
        Assert.Equal(papers, first.CitingPapersLabelled);

        // Two newer renderings on two connections, each with another abstract and other summaries for half
        // the papers: whichever lands second leaves the other half awaiting labels read with its abstract.
        using var secondChannel = Host.CreateChannel();
        var second = Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("Second abstract.", 0, papers / 2, "second"), SourceUrl = PageUrl });
        var third = new IngestionService.IngestionServiceClient(secondChannel).IngestHubPageAsync(
            new IngestHubPageRequest { PageText = Page("Third abstract.", papers / 2, papers, "third"), SourceUrl = PageUrl });
        var results = new[] { await second, await third };

        Assert.All(results, r => Assert.Equal(papers / 2, r.CitingPapersLabelled));
        Assert.Contains(results, r => r.CitingPapersAwaitingLabels == papers / 2);
        await WaitUntilLabelledAsync(first.HubId);
        await AssertEveryLabelIsCurrentAsync(first.HubId, papers);
    }

    [Fact]
    public async Task An_abstract_change_labels_the_pages_papers_at_once_and_the_others_in_the_background()
    {
        await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("First abstract.", 0, 40, "one"), SourceUrl = PageUrl });

        var changed = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("Changed abstract.", 0, 10, "one"), SourceUrl = PageUrl });

        Assert.Equal((0, 0, 10, 10, 30), (changed.CitingPapersAdded, changed.CitingPapersUpdated, changed.CitingPapersUnchanged, changed.CitingPapersLabelled, changed.CitingPapersAwaitingLabels));
        await WaitUntilLabelledAsync(changed.HubId);
        await AssertEveryLabelIsCurrentAsync(changed.HubId, 40);
    }

    [Fact]
    public async Task A_restart_relabels_in_the_background_the_papers_labelled_by_another_model_version()
    {
        var ingested = await Ingestion.IngestHubPageAsync(new IngestHubPageRequest { PageText = Page("An abstract.", 0, 600, "one"), SourceUrl = PageUrl });
        await Host.DisposeAsync();
        // Stand in for labels of an earlier model: other versions, and a confidence no model gives.
        Assert.Equal(2 * 600, await Database.ExecuteAsync(
            "UPDATE citing_paper_labels SET source_version = task || '-old', confidence = 0.123456"));
        Database.ClearPools();

        Host = ServerHost.Start(Database, seedDirectory: "");

        var started = Stopwatch.GetTimestamp();
        while (await Database.ScalarAsync("SELECT count(*) FROM citing_paper_labels WHERE source_version = task || '-old'") > 0)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < SweepTimeout, "papers still carry the old model versions");
            await Task.Delay(50);
        }
        await AssertEveryLabelIsCurrentAsync(ingested.HubId, 600);
    }

    /// <summary>A hub page whose papers <paramref name="from"/>..<paramref name="to"/> carry summaries marked with <paramref name="version"/>.</summary>
    internal static string Page(string hubAbstract, int from, int to, string version)
    {
        var page = new StringBuilder("Direct Preference Optimization\nhub\n")
            .Append(to - from).Append(" Pith papers cite this work.\nabstract\n").Append(hubAbstract).Append("\nciting papers explorer\n");
        for (var i = from; i < to; i++)
        {
            // The summary last, so the page's last line ends a sentence and does not read as cut off.
            page.Append("-\nCiting paper ").Append(i.ToString("D5")).Append('\n')
                .Append('(').Append(version).Append(' ').Append(i).Append(") ").Append(Summaries[i % Summaries.Length]).Append('\n');
        }
        return page.ToString();
    }

    // Real one-line summaries of the seed pages, so the labels vary from paper to paper.
    private static readonly string[] Summaries = SeedPages.ExplorerEntries(SeedPages.Npo)
        .Where(e => e.Summary is not null).Select(e => e.Summary!).ToArray();

    private async Task WaitUntilLabelledAsync(string hubId)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var summary = await Hubs.GetHubSummaryAsync(new GetHubSummaryRequest { HubId = hubId });
            if (summary.UnclassifiedRoleCount == 0 && summary.UnclassifiedPolarityCount == 0)
            {
                return;
            }
            Assert.True(Stopwatch.GetElapsedTime(started) < SweepTimeout, $"{summary.UnclassifiedRoleCount} papers still await labels");
            await Task.Delay(50);
        }
    }

    /// <summary>Every paper's labels are what the loaded models say of its stored summary read with the stored hub.</summary>
    private async Task AssertEveryLabelIsCurrentAsync(string hubId, int expectedPapers)
    {
        var hub = (await Hubs.GetHubAsync(new GetHubRequest { HubId = hubId })).Hub;
        var hubText = new HubText(hub.Title, hub.Abstract, hub.TierLabel);
        var classifier = Host.Services.GetRequiredService<ICitationClassifier>();
        var papers = await HubServiceTests.ReadAllAsync(Hubs.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hubId }));
        Assert.Equal(expectedPapers, papers.Count);
        var stale = papers.Where(paper =>
        {
            var text = CitationText.Summary(paper.Summary, hubText);
            var role = classifier.ClassifyRole(text);
            var polarity = classifier.ClassifyPolarity(text);
            return (int)role.Label != (int)paper.Role.Role || role.Confidence != paper.Role.Confidence || role.ModelVersion != paper.Role.ModelVersion
                || (int)polarity.Label != (int)paper.Polarity.Polarity || polarity.Confidence != paper.Polarity.Confidence;
        }).Select(paper => paper.Title).ToList();
        Assert.True(stale.Count == 0, $"{stale.Count} papers hold labels of another summary or hub, e.g. {string.Join(", ", stale.Take(3))}");
    }
}
