using System.Collections;
using System.Text.Json;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using CitationService.Core.Storage;

namespace CitationService.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ICitationStore"/> engine must show. An engine's test class derives from
/// this and supplies <see cref="CreateStore"/> (and cleans up its own database).
/// </summary>
public abstract class CitationStoreTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567);
    protected static readonly DateTimeOffset T1 = T0.AddHours(1).AddTicks(1);
    protected const string Url = "https://pith.example/hub/attention";
    protected const string RoleV1 = "role-v1";
    protected const string PolarityV1 = "polarity-v1";

    protected ICitationStore Store { get; private set; } = null!;

    /// <summary>Labels every save of a test; a new one for each test.</summary>
    protected RecordingLabeler Labeler { get; } = new();

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A store over this test's database; each call opens the same database anew (a restart).</summary>
    protected abstract ICitationStore CreateStore();

    public virtual async Task InitializeAsync()
    {
        Store = CreateStore();
        await Store.MigrateAsync(Ct);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The rows of <paramref name="sql"/> on this test's database: what the store's interface does not show.</summary>
    protected abstract Task<List<T>> QueryAsync<T>(string sql);

    // ------------------------------------------------------------------ migrations and restart

    [Fact]
    public async Task MigrateAsync_keeps_schema_and_data_when_run_twice()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();

        await Store.MigrateAsync(Ct);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(2, (await Store.GetHubAsync(new HubLookup(HubId: saved.HubId), Ct))!.StoredCitingCount);
    }

    [Fact]
    public async Task GetHubAsync_returns_saved_data_when_store_is_reopened()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Uses it."), Paper("B")), Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();

        var reopened = CreateStore();
        await reopened.MigrateAsync(Ct);

        Assert.Equal(before, await SnapshotAsync(reopened));
        Assert.Equal(saved.HubId, (await reopened.GetHubAsync(new HubLookup(HubId: saved.HubId), Ct))?.Id);
    }

    // ------------------------------------------------------------------ saving and getting hubs

    [Fact]
    public async Task SaveHubPageAsync_creates_hub_with_stable_ids_when_page_is_new()
    {
        var page = Page(Paper("First citing paper", "It builds on the hub."), Paper("Second citing paper"));

        var result = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);

        var hubId = StableIds.ForHub(Url, page.Title);
        Assert.Equal(new PageSaveResult(hubId, HubCreated: true, HubUpdated: false, PapersAdded: 2, PapersUpdated: 0, PapersUnchanged: 0, PapersLabelled: 1, PapersAwaitingLabels: 0), result);
        var papers = await ReadAllAsync(hubId);
        Assert.Equal(
            [StableIds.ForCitingPaper(hubId, "First citing paper", "It builds on the hub."), StableIds.ForCitingPaper(hubId, "Second citing paper", null)],
            papers.Select(p => p.Id));
        Assert.Equal([0, 1], papers.Select(p => p.Position));
    }

    [Fact]
    public async Task GetHubAsync_round_trips_every_hub_field_when_looked_up_by_id()
    {
        var page = Page(Paper("A"), Paper("B"), Paper("C"));
        var result = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);

        var hub = await Store.GetHubAsync(new HubLookup(HubId: result.HubId), Ct);

        Assert.NotNull(hub);
        Assert.Equal(result.HubId, hub.Id);
        Assert.Equal(page.Title, hub.Title);
        Assert.Equal(page.Abstract, hub.Abstract);
        Assert.Equal(page.TierLabel, hub.TierLabel);
        Assert.Equal(page.StatedCitingCount, hub.StatedCitingCount);
        Assert.Equal(3, hub.StoredCitingCount);
        Assert.Equal(Url, hub.SourceUrl);
        Assert.Equal(page.ArxivId, hub.ArxivId);
        Assert.Equal(page.Doi, hub.Doi);
        Assert.Equal(page.StatedRoleCounts, hub.StatedRoleCounts);
        Assert.Equal(page.StatedPolarityCounts, hub.StatedPolarityCounts);
        Assert.Equal(T0, hub.IngestedAt);
        Assert.Equal(T0, hub.UpdatedAt);
        Assert.Equal(T0.Ticks, hub.IngestedAt.UtcTicks);
    }

    [Fact]
    public async Task GetHubAsync_finds_hub_when_title_differs_in_case_spacing_and_hyphenation()
    {
        var result = await Store.SaveHubPageAsync(Page() with { Title = "Improving Language Understanding by Generative Pre-Training" }, Url, T0, Labeler, Ct);

        var hub = await Store.GetHubAsync(new HubLookup(Title: "  IM- proving   language\nunderstanding BY generative pre-training "), Ct);

        Assert.Equal(result.HubId, hub?.Id);
    }

    [Fact]
    public async Task GetHubAsync_finds_hub_when_looked_up_by_arxiv_id()
    {
        var result = await Store.SaveHubPageAsync(Page(), Url, T0, Labeler, Ct);

        var hub = await Store.GetHubAsync(new HubLookup(ArxivId: "1706.03762"), Ct);

        Assert.Equal(result.HubId, hub?.Id);
    }

    [Fact]
    public async Task GetHubAsync_finds_hub_when_looked_up_by_doi()
    {
        var result = await Store.SaveHubPageAsync(Page(), Url, T0, Labeler, Ct);

        var hub = await Store.GetHubAsync(new HubLookup(Doi: "10.48550/arXiv.1706.03762"), Ct);

        Assert.Equal(result.HubId, hub?.Id);
    }

    [Fact]
    public async Task GetHubAsync_returns_null_when_no_hub_matches()
    {
        await Store.SaveHubPageAsync(Page(), Url, T0, Labeler, Ct);

        Assert.Null(await Store.GetHubAsync(new HubLookup(HubId: "hub_missing"), Ct));
        Assert.Null(await Store.GetHubAsync(new HubLookup(Title: "Another title"), Ct));
        Assert.Null(await Store.GetHubAsync(new HubLookup(ArxivId: "2401.00001"), Ct));
        Assert.Null(await Store.GetHubAsync(new HubLookup(Doi: "10.1/none"), Ct));
    }

    [Fact]
    public async Task GetHubAsync_throws_when_lookup_sets_two_keys()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetHubAsync(new HubLookup(HubId: "hub_x", Title: "x"), Ct));
    }

    [Fact]
    public async Task SaveHubPageAsync_changes_nothing_when_same_page_is_saved_twice()
    {
        var page = Page(Paper("A", "Summary A."), Paper("B"), Paper("C", "Summary C.") with { Representative = true });
        var first = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();

        var second = await Store.SaveHubPageAsync(page, Url, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(first.HubId, HubCreated: false, HubUpdated: false, PapersAdded: 0, PapersUpdated: 0, PapersUnchanged: 3, PapersLabelled: 0, PapersAwaitingLabels: 0), second);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task SaveHubPageAsync_updates_hub_and_keeps_its_id_when_newer_page_matches_by_url()
    {
        var pending = Page(Paper("A"), Paper("B")) with { Title = "Title resolution pending", Abstract = "", ArxivId = "", Doi = "" };
        var first = await Store.SaveHubPageAsync(pending, Url, T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B"), Paper("C")), Url, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(first.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 1, PapersUpdated: 0, PapersUnchanged: 2, PapersLabelled: 0, PapersAwaitingLabels: 0), second);
        var hub = await Store.GetHubAsync(new HubLookup(Title: "Attention Is All You Need"), Ct);
        Assert.NotNull(hub);
        Assert.Equal(first.HubId, hub.Id);
        Assert.Equal("Attention Is All You Need", hub.Title);
        Assert.Equal("1706.03762", hub.ArxivId);
        Assert.Equal(T0, hub.IngestedAt);
        Assert.Equal(T1, hub.UpdatedAt);
        Assert.Equal(3, hub.StoredCitingCount);
    }

    [Fact]
    public async Task SaveHubPageAsync_updates_hub_and_keeps_missing_papers_when_newer_page_matches_by_title()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), "", T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(
            Page(Paper("C"), Paper("A")) with { Title = "ATTENTION is all  you need", StatedCitingCount = 120 }, "", T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(first.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 1, PapersUpdated: 1, PapersUnchanged: 0, PapersLabelled: 0, PapersAwaitingLabels: 0), second);
        var hub = await Store.GetHubAsync(new HubLookup(HubId: first.HubId), Ct);
        Assert.Equal(120, hub?.StatedCitingCount);
        Assert.Equal("ATTENTION is all  you need", hub?.Title);
        var papers = await ReadAllAsync(first.HubId);
        Assert.Equal(["A", "B", "C"], papers.Select(p => p.Title).Order(StringComparer.Ordinal));
        Assert.Equal(1, papers.Single(p => p.Title == "A").Position);
        Assert.Equal(1, papers.Single(p => p.Title == "B").Position);
        Assert.Equal(0, papers.Single(p => p.Title == "C").Position);
    }

    [Fact]
    public async Task SaveHubPageAsync_creates_separate_hubs_when_titles_match_but_urls_differ()
    {
        var pending = Page(Paper("A")) with { Title = "Title resolution pending", ArxivId = "", Doi = "" };
        var first = await Store.SaveHubPageAsync(pending, "https://pith.example/hub/1", T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(pending, "https://pith.example/hub/2", T0, Labeler, Ct);

        Assert.True(second.HubCreated);
        Assert.NotEqual(first.HubId, second.HubId);
        Assert.Equal(2, (await Store.ListHubsAsync(null, null, 10, Ct)).Count);
    }

    // ------------------------------------------------------------------ hub identity

    private const string PithUuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
    private const string PithUrl = "https://pith.science/citations/" + PithUuid;

    [Fact]
    public async Task SaveHubPageAsync_stores_one_hub_when_pages_come_from_every_form_of_one_pith_address()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl, T0, Labeler, Ct);
        var www = await Store.SaveHubPageAsync(Page(Paper("B")), "https://www.pith.science/citations/" + PithUuid.ToUpperInvariant() + "/", T0, Labeler, Ct);
        var json = await Store.SaveHubPageAsync(Page(Paper("C")), PithUrl + ".json", T0, Labeler, Ct);
        var filtered = await Store.SaveHubPageAsync(Page(Paper("D")) with { Title = "A title the filtered view prints otherwise" }, PithUrl + "?cat=cs.AI", T0, Labeler, Ct);

        Assert.Equal([first.HubId, first.HubId, first.HubId], new[] { www.HubId, json.HubId, filtered.HubId });
        Assert.Equal([false, false, false], new[] { www.HubCreated, json.HubCreated, filtered.HubCreated });
        var hub = (await Store.ListHubsAsync(null, null, 10, Ct)).Single();
        Assert.Equal((PithUrl, PithUuid), (hub.SourceUrl, hub.PithId));
        Assert.Equal(["A", "B", "C", "D"], (await ReadAllAsync(first.HubId)).Select(p => p.Title).Order());
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_a_filtered_views_counts_apart_from_the_hubs()
    {
        var hub = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), PithUrl, T0, Labeler, Ct);
        var view = Page(Paper("B")) with
        {
            StatedCitingCount = 1,
            StatedRoleCounts = [new StatedLabelCount("method", 1)],
            StatedPolarityCounts = [],
        };

        await Store.SaveHubPageAsync(view, "https://www.pith.science/citations/" + PithUuid + "?year=2021&cat=cs.LG", T1, Labeler, Ct);

        var stored = await Store.GetHubAsync(new HubLookup(HubId: hub.HubId), Ct);
        Assert.Equal(27, stored!.StatedCitingCount);
        Assert.Equal(Page().StatedRoleCounts, stored.StatedRoleCounts);
        var views = await Store.GetHubViewsAsync(hub.HubId, Ct);
        Assert.Equal(("cat=cs.LG&year=2021", 1, "method", T1), (views.Single().Filter, views[0].StatedCitingCount, views[0].StatedRoleCounts.Single().Label, views[0].UpdatedAt));
    }

    [Fact]
    public async Task SaveHubPageAsync_gives_a_hub_first_seen_through_a_filtered_view_no_stated_counts_of_its_own()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl + "?cat=cs.LG", T0, Labeler, Ct);

        var hub = await Store.GetHubAsync(new HubLookup(HubId: saved.HubId), Ct);
        Assert.Equal((null, 0), (hub!.StatedCitingCount, hub.StatedRoleCounts.Count));
        Assert.Equal(27, (await Store.GetHubViewsAsync(saved.HubId, Ct)).Single().StatedCitingCount);
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_stored_positions_and_appends_new_papers_when_the_page_is_a_filtered_view()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B"), Paper("C")), PithUrl, T0, Labeler, Ct);

        // The view does not show the hub's last paper (C): D still follows it.
        await Store.SaveHubPageAsync(Page(Paper("D"), Paper("A")), PithUrl + "?cat=cs.LG", T1, Labeler, Ct);

        Assert.Equal([("A", 0), ("B", 1), ("C", 2), ("D", 3)], (await ReadAllAsync(saved.HubId)).Select(p => (p.Title, p.Position)));
    }

    [Fact]
    public async Task SaveHubPageAsync_numbers_the_papers_of_a_hub_first_seen_through_a_filtered_view_from_zero()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), PithUrl + "?cat=cs.LG", T0, Labeler, Ct);

        await Store.SaveHubPageAsync(Page(Paper("C")), PithUrl + "?cat=cs.AI", T1, Labeler, Ct);

        Assert.Equal([("A", 0), ("B", 1), ("C", 2)], (await ReadAllAsync(saved.HubId)).Select(p => (p.Title, p.Position)));
    }

    [Fact]
    public async Task SaveHubPageAsync_finds_every_stored_paper_of_a_long_page_listed_again()
    {
        // The store reads a page's stored papers by their ids, all of them bound as one parameter.
        var papers = Enumerable.Range(0, 2_500).Select(i => Paper($"Paper {i:D5}")).ToArray();
        var saved = await Store.SaveHubPageAsync(Page(papers), PithUrl, T0, Labeler, Ct);

        var again = await Store.SaveHubPageAsync(Page([.. papers.Reverse()]), PithUrl, T1, Labeler, Ct);

        Assert.Equal((saved.HubId, 0, papers.Length, 0), (again.HubId, again.PapersAdded, again.PapersUnchanged + again.PapersUpdated, again.PapersLabelled));
        Assert.Equal(papers.Length, (await ReadAllAsync(saved.HubId)).Count);
    }

    [Fact]
    public async Task SaveHubPageAsync_matches_one_work_across_sources_by_arxiv_id_or_doi()
    {
        var elsewhere = await Store.SaveHubPageAsync(Page(Paper("A")) with { Doi = "" }, "https://example.org/works/attention", T0, Labeler, Ct);

        var byArxiv = await Store.SaveHubPageAsync(Page(Paper("B")) with { Title = "Untitled" }, PithUrl, T1, Labeler, Ct);
        var byDoi = await Store.SaveHubPageAsync(Page(Paper("C")) with { Title = "Other", ArxivId = "", Doi = "10.48550/ARXIV.1706.03762" }, "https://example.org/other-site/1", T1, Labeler, Ct);

        Assert.Equal([elsewhere.HubId, elsewhere.HubId], new[] { byArxiv.HubId, byDoi.HubId });
        var hub = await Store.GetHubAsync(new HubLookup(HubId: elsewhere.HubId), Ct);
        Assert.Equal((PithUuid, PithUrl, 3), (hub!.PithId, hub.SourceUrl, hub.StoredCitingCount));
    }

    [Fact]
    public async Task SaveHubPageAsync_adds_the_papers_of_a_page_that_lists_citing_papers_only_and_keeps_the_hub_as_stored()
    {
        var text = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B")), PithUrl, T0, Labeler, Ct);
        var citers = new HubPage { Title = "", DescribesHub = false, StatedCitingCount = 28, CitingPapers = [Paper("B", "Summary B."), Paper("C", "Summary C.")] };

        var result = await Store.SaveHubPageAsync(citers, PithUrl + "/citers.json", T1, Labeler, Ct);

        Assert.Equal((text.HubId, false, 1, 0), (result.HubId, result.HubCreated, result.PapersAdded, result.PapersAwaitingLabels));
        var hub = await Store.GetHubAsync(new HubLookup(HubId: text.HubId), Ct);
        Assert.Equal((Page().Title, Page().Abstract, Page().TierLabel, 28), (hub!.Title, hub.Abstract, hub.TierLabel, hub.StatedCitingCount));
        Assert.Equal(Page().StatedRoleCounts, hub.StatedRoleCounts);
        var papers = (await ReadAllAsync(text.HubId)).ToDictionary(p => p.Title);
        Assert.Equal(["A", "B", "C"], papers.Keys.Order());
        Assert.NotNull(papers["A"].Role);
        Assert.Equal((HubTextOf(Page()), "Summary C."), Labeler.Labelled[^1]);
    }

    [Fact]
    public async Task SaveHubPageAsync_names_the_hub_by_the_documents_pith_id_when_no_address_is_given_and_keeps_its_work_details()
    {
        var text = await Store.SaveHubPageAsync(Page(Paper("A")) with { ArxivId = "", Doi = "" }, PithUrl, T0, Labeler, Ct);
        var work = Page() with { Title = "Attention Is All You Need", SourceId = PithUuid.ToUpperInvariant(), ArxivId = "", Doi = "", Authors = "A. Vaswani, N. Shazeer", Year = 2017, Venue = "cs.CL" };

        var fromJson = await Store.SaveHubPageAsync(work, "", T1, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")) with { ArxivId = "", Doi = "" }, PithUrl, T1, Labeler, Ct);

        Assert.Equal(text.HubId, fromJson.HubId);
        var hub = await Store.GetHubAsync(new HubLookup(HubId: text.HubId), Ct);
        Assert.Equal(("A. Vaswani, N. Shazeer", 2017, "cs.CL", PithUuid), (hub!.Authors, hub.Year, hub.Venue, hub.PithId));
    }

    [Fact]
    public async Task SaveHubPageAsync_creates_a_hub_without_a_title_from_a_page_of_citing_papers_only()
    {
        var citers = new HubPage { Title = "", DescribesHub = false, CitingPapers = [Paper("B", "Summary B.")] };

        var saved = await Store.SaveHubPageAsync(citers, PithUrl + "/citers.json", T0, Labeler, Ct);
        var titled = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl + ".json", T1, Labeler, Ct);

        Assert.Equal((true, saved.HubId), (saved.HubCreated, titled.HubId));
        Assert.Equal(Page().Title, (await Store.GetHubAsync(new HubLookup(HubId: saved.HubId), Ct))!.Title);
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_a_papers_citation_context_and_the_sources_labels_apart_from_its_own()
    {
        var submitted = new DateTimeOffset(2026, 5, 22, 17, 45, 49, TimeSpan.Zero);
        var fromJson = Paper("A", "Summary A.") with
        {
            SubmittedAt = submitted, LinkConfidence = 0.98f, ContextText = "We build on [2] for the gate.", ContextCount = 2,
            SourceRole = "extension", SourcePolarity = "supporting",
        };
        var saved = await Store.SaveHubPageAsync(Page(fromJson), PithUrl + "/citers.json", T0, Labeler, Ct);

        // A later text rendering gives none of it: it is kept.
        var again = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A.")), PithUrl, T1, Labeler, Ct);

        Assert.Equal((0, 1), (again.PapersUpdated, again.PapersUnchanged));
        var paper = (await ReadAllAsync(saved.HubId)).Single();
        Assert.Equal((submitted, 0.98f, "We build on [2] for the gate.", 2), (paper.SubmittedAt, paper.LinkConfidence, paper.ContextText, paper.ContextCount));
        Assert.Equal(new SourceLabels("extension", "supporting", PithUrl + "/citers.json"), paper.SourceLabels);
        Assert.Equal((CitationRole.Extension, CitationPolarity.Supporting), (paper.SourceLabels!.RoleLabel, paper.SourceLabels.PolarityLabel));
        Assert.Equal(CitationRole.Method, paper.Role?.Label);
        var single = await Store.GetCitingPaperAsync(paper.Id, Ct);
        Assert.Equal((paper.SubmittedAt, paper.LinkConfidence, paper.ContextText, paper.ContextCount, paper.SourceLabels),
            (single!.SubmittedAt, single.LinkConfidence, single.ContextText, single.ContextCount, single.SourceLabels));
    }

    [Fact]
    public async Task SaveHubPageAsync_records_the_trimmed_address_or_else_the_documents_pith_address_as_where_the_sources_labels_came_from()
    {
        var labelled = Paper("A", "Summary A.") with { SourceRole = "extension", SourcePolarity = "supporting" };
        var saved = await Store.SaveHubPageAsync(Page(labelled), "  " + PithUrl + "/citers.json\n", T0, Labeler, Ct);
        // A document with no address (its JSON form read from a file) names its Pith work itself.
        await Store.SaveHubPageAsync(Page(labelled with { Title = "B" }) with { SourceId = PithUuid }, "", T1, Labeler, Ct);

        var papers = (await ReadAllAsync(saved.HubId)).ToDictionary(p => p.Title, p => p.SourceLabels?.From);
        Assert.Equal(PithUrl + "/citers.json", papers["A"]);
        Assert.Equal(PithUrl, papers["B"]);
    }

    [Fact]
    public async Task SaveHubPageAsync_labels_a_paper_with_its_context_and_again_when_the_context_changes()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B", "Summary B.") with { ContextText = "We use [4]." }), PithUrl, T0, Labeler, Ct);

        var same = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B", "Summary B.") with { ContextText = "We use [4]." }), PithUrl, T1, Labeler, Ct);
        var changed = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B", "Summary B.") with { ContextText = "Unlike [4], we do not." }), PithUrl, T1, Labeler, Ct);

        Assert.Equal((2, 0, 1), (saved.PapersLabelled, same.PapersLabelled, changed.PapersLabelled));
        Assert.Equal([null, "We use [4].", "Unlike [4], we do not."], Labeler.Contexts);
    }

    [Fact]
    public async Task ReadCitingPapersAsync_and_GetCitingPaperAsync_give_each_paper_the_text_its_labels_were_read_from()
    {
        var saved = await Store.SaveHubPageAsync(
            Page(Paper("A", "Summary A."), Paper("B", "Summary B.") with { ContextText = "We use [4]." }, Paper("C")), PithUrl, T0, Labeler, Ct);

        var papers = await ReadAllAsync(saved.HubId);

        // C has no labels, so no row to read a source from: the default.
        Assert.Equal(
            [("A", LabelSource.Summary, true), ("B", LabelSource.SummaryAndCitationContext, true), ("C", LabelSource.Summary, false)],
            papers.Select(p => (p.Title, p.LabelSource, p.Role is not null)));
        foreach (var paper in papers)
        {
            Assert.Equal(paper.LabelSource, (await Store.GetCitingPaperAsync(paper.Id, Ct))!.LabelSource);
        }
    }

    [Fact]
    public async Task GetPapersAwaitingLabelsAsync_gives_the_sweep_each_papers_context_with_its_summary()
    {
        await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B", "Summary B.") with { ContextText = "We use [4]." }), PithUrl, T0, Labeler, Ct);
        // A new abstract with a page that no longer shows the papers: both await the sweep.
        await Store.SaveHubPageAsync(Page() with { Abstract = "Another abstract." }, PithUrl, T1, Labeler, Ct);

        var awaiting = await Store.GetPapersAwaitingLabelsAsync(10, Ct);

        Assert.Equal([("Summary A.", null), ("Summary B.", "We use [4].")], awaiting.Select(p => (p.Summary, p.Context)).OrderBy(p => p.Summary));
    }

    [Fact]
    public async Task CountLabelsAsync_counts_where_the_services_labels_agree_with_the_sources_own()
    {
        // The labeler says METHOD / NEUTRAL for every summary.
        var page = Page(
            Paper("A", "a.") with { SourceRole = "method", SourcePolarity = "neutral" },
            Paper("B", "b.") with { SourceRole = "background", SourcePolarity = "supporting" },
            Paper("C", "c.") with { SourceRole = "reuse", SourcePolarity = "contrasting" },
            Paper("D", "d."),
            Paper("E") with { SourceRole = "method", SourcePolarity = "neutral" });
        var saved = await Store.SaveHubPageAsync(page, PithUrl + "/citers.json", T0, Labeler, Ct);

        var counts = await Store.CountLabelsAsync(saved.HubId, 0.5f, Ct);

        Assert.Equal(new SourceAgreement(Compared: 2, Agreed: 1), counts.RoleAgreement);
        Assert.Equal(new SourceAgreement(Compared: 3, Agreed: 1), counts.PolarityAgreement);
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_two_pith_hubs_apart_when_they_share_an_arxiv_id()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl, T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(Page(Paper("B")), "https://pith.science/citations/58f6ddcc-acc4-4862-8a76-e8a22f55b6d1", T0, Labeler, Ct);

        Assert.True(second.HubCreated);
        Assert.NotEqual(first.HubId, second.HubId);
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_paper_metadata_a_later_page_does_not_give()
    {
        var rich = Paper("A", "Summary.") with { ArxivId = "2605.23885", PrimaryCategory = "cs.CL", SubmittedDate = new DateOnly(2026, 5, 22), Verdict = "UNVERDICTED", NoveltyScore = 6f, ReferenceCount = 2 };
        var saved = await Store.SaveHubPageAsync(Page(rich), PithUrl, T0, Labeler, Ct);

        var result = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.")), PithUrl, T1, Labeler, Ct);

        Assert.Equal((0, 1), (result.PapersUpdated, result.PapersUnchanged));
        var paper = (await ReadAllAsync(saved.HubId)).Single();
        Assert.Equal(("2605.23885", "cs.CL", new DateOnly(2026, 5, 22), "UNVERDICTED", 6f, 2), (paper.ArxivId, paper.PrimaryCategory, paper.SubmittedDate, paper.Verdict, paper.NoveltyScore, paper.ReferenceCount));
    }

    [Theory]
    [InlineData("https://www.pith.science/citations/745B4799-6AC4-4ABE-924F-78BF0A08FFA1/citers.json")]
    [InlineData("https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1?cat=cs.LG")]
    [InlineData(PithUrl)]
    public async Task GetHubAsync_finds_a_pith_hub_by_any_form_of_its_address(string url)
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl + "/", T0, Labeler, Ct);

        Assert.Equal(saved.HubId, (await Store.GetHubAsync(new HubLookup(SourceUrl: url), Ct))?.Id);
    }

    [Fact]
    public async Task GetHubAsync_finds_another_sources_hub_by_its_address_as_ingested()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A")), Url, T0, Labeler, Ct);

        Assert.Equal(saved.HubId, (await Store.GetHubAsync(new HubLookup(SourceUrl: Url), Ct))?.Id);
        Assert.Null(await Store.GetHubAsync(new HubLookup(SourceUrl: Url + "/other"), Ct));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("arxiv")]
    [InlineData("doi")]
    public async Task GetHubAsync_refuses_to_pick_one_when_several_hubs_share_a_title_arxiv_id_or_doi(string by)
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl, T0, Labeler, Ct);
        var second = await Store.SaveHubPageAsync(Page(Paper("B")), "https://pith.science/citations/58f6ddcc-acc4-4862-8a76-e8a22f55b6d1", T1, Labeler, Ct);
        var lookup = by switch
        {
            "title" => new HubLookup(Title: "attention is ALL you need"),
            "arxiv" => new HubLookup(ArxivId: "1706.03762"),
            _ => new HubLookup(Doi: "10.48550/ARXIV.1706.03762"),
        };

        var error = await Assert.ThrowsAsync<AmbiguousHubLookupException>(() => Store.GetHubAsync(lookup, Ct));

        Assert.Equal([first.HubId, second.HubId], error.HubIds);
        Assert.Contains(first.HubId, error.Message);
    }

    [Theory]
    [InlineData(0b00000)]
    [InlineData(0b00011)]
    [InlineData(0b00110)]
    [InlineData(0b01100)]
    [InlineData(0b11000)]
    [InlineData(0b10001)]
    [InlineData(0b11111)]
    public async Task GetHubAsync_throws_naming_the_lookup_when_it_sets_no_key_or_more_than_one(int keys)
    {
        await Store.SaveHubPageAsync(Page(Paper("A")), PithUrl, T0, Labeler, Ct);
        var lookup = new HubLookup(
            HubId: (keys & 1) != 0 ? StableIds.ForHub(PithUrl, Page().Title) : null,
            Title: (keys & 2) != 0 ? Page().Title : null,
            ArxivId: (keys & 4) != 0 ? Page().ArxivId : null,
            Doi: (keys & 8) != 0 ? Page().Doi : null,
            SourceUrl: (keys & 16) != 0 ? PithUrl : null);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.GetHubAsync(lookup, Ct));

        Assert.Equal("lookup", error.ParamName);
        Assert.StartsWith("Exactly one of HubId, Title, ArxivId, Doi and SourceUrl must be set.", error.Message);
    }

    [Fact]
    public async Task GetHubAsync_gives_the_six_earliest_ids_when_more_than_five_hubs_share_a_title()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var saved = await Store.SaveHubPageAsync(Page(Paper("A")) with { ArxivId = "", Doi = "" }, $"https://pith.example/hub/{i}", T0.AddMinutes(i), Labeler, Ct);
            Assert.True(saved.HubCreated);
            ids.Add(saved.HubId);
        }

        var error = await Assert.ThrowsAsync<AmbiguousHubLookupException>(() => Store.GetHubAsync(new HubLookup(Title: Page().Title), Ct));

        Assert.Equal(ids.Take(6), error.HubIds);
        Assert.Equal("more than 5 hubs match: " + string.Join(", ", ids.Take(5)), error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ListHubsAsync_and_the_label_sweep_reads_throw_when_limit_is_not_positive(int limit)
    {
        var page = Page(Paper("A", "Summary A."));
        await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        // A changed abstract leaves A awaiting labels, and a model of another version makes it one to label again.
        await Store.SaveHubPageAsync(page with { Abstract = "A changed abstract.", CitingPapers = [] }, Url, T1, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("B", "Summary B.")) with { Title = "Other", ArxivId = "", Doi = "" }, "https://pith.example/other", T1, Labeler, Ct);
        var otherModels = new RecordingLabeler("role-v9", "polarity-v9");

        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListHubsAsync(null, null, limit, Ct))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetPapersAwaitingLabelsAsync(limit, Ct))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetPapersLabelledByOtherModelsAsync(otherModels, "", limit, Ct))).ParamName);
        Assert.Single(await Store.GetPapersAwaitingLabelsAsync(1, Ct));
        Assert.Single(await Store.GetPapersLabelledByOtherModelsAsync(otherModels, "", 1, Ct));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_throws_when_limit_is_negative_and_reads_nothing_when_it_is_zero()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);

        Assert.Empty(await ReadAllAsync(saved.HubId, CitingPaperFilter.None, null, 0));
        Assert.Empty(await ReadAllAsync(saved.HubId, new CitingPaperFilter { Roles = [CitationRole.Unspecified] }, null, 0));
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReadAllAsync(saved.HubId, CitingPaperFilter.None, null, -1));
        Assert.Equal(("limit", -1), (error.ParamName, error.ActualValue));
        Assert.StartsWith("The limit must not be negative.", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadCitingPapersAsync_reads_a_page_after_its_cursor_up_to_its_limit_with_or_without_criteria(bool withCriteria)
    {
        var saved = await Store.SaveHubPageAsync(
            Page(Paper("A", "Uses it."), Paper("B", "Uses it too."), Paper("C"), Paper("D", "Uses it."), Paper("E", "Uses it.")), Url, T0, Labeler, Ct);
        // The text criterion leaves out C, the paper without a summary.
        var filter = withCriteria ? new CitingPaperFilter { TextContains = "uses" } : CitingPaperFilter.None;
        var expected = withCriteria ? new[] { "A", "B", "D", "E" } : ["A", "B", "C", "D", "E"];

        var first = await ReadAllAsync(saved.HubId, filter, null, 2);
        var second = await ReadAllAsync(saved.HubId, filter, new CitingPaperCursor(first[^1].Position, first[^1].Id), 2);
        var rest = await ReadAllAsync(saved.HubId, filter, new CitingPaperCursor(second[^1].Position, second[^1].Id), 2);

        Assert.Equal(expected[..2], first.Select(p => p.Title));
        Assert.Equal(expected[2..4], second.Select(p => p.Title));
        Assert.Equal(expected[4..], rest.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_ignores_an_empty_primary_category_when_another_criterion_is_set()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A") with { PrimaryCategory = "cs.CL" }, Paper("B")), Url, T0, Labeler, Ct);

        var papers = await ReadAllAsync(saved.HubId, new CitingPaperFilter { PrimaryCategory = "", Roles = [CitationRole.Unspecified] });

        Assert.Equal(["A", "B"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task Store_methods_throw_ArgumentNullException_naming_the_argument_when_it_is_null()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A.")), Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();

        async Task Refused(string name, Func<Task> call) =>
            Assert.Equal(name, (await Assert.ThrowsAsync<ArgumentNullException>(call)).ParamName);

        await Refused("page", () => Store.SaveHubPageAsync(null!, Url, T1, Labeler, Ct));
        await Refused("labeler", () => Store.SaveHubPageAsync(Page(Paper("B", "Summary B.")), Url, T1, null!, Ct));
        await Refused("lookup", () => Store.GetHubAsync(null!, Ct));
        await Refused("hubId", () => Store.GetHubViewsAsync(null!, Ct));
        await Refused("citingPaperId", () => Store.GetCitingPaperAsync(null!, Ct));
        await Refused("hubId", () => ReadAllAsync(null!));
        await Refused("filter", () => ReadAllAsync(saved.HubId, null!));
        await Refused("hubId", () => Store.CountLabelsAsync(null!, 0.5f, Ct));
        await Refused("current", () => Store.GetPapersLabelledByOtherModelsAsync(null!, "", 10, Ct));
        await Refused("afterId", () => Store.GetPapersLabelledByOtherModelsAsync(Labeler, null!, 10, Ct));
        await Refused("classifications", () => Store.SaveClassificationsAsync(null!, Ct));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task CountLabelsAsync_gives_every_classified_label_and_not_Unspecified_zero_when_no_paper_has_it()
    {
        var hubId = await SaveClassifiedHubAsync();

        var counts = await Store.CountLabelsAsync(hubId, 0.5f, Ct);

        CitationRole[] roles = [.. Enum.GetValues<CitationRole>().Where(r => r != CitationRole.Unspecified)];
        CitationPolarity[] polarities = [.. Enum.GetValues<CitationPolarity>().Where(p => p != CitationPolarity.Unspecified)];
        Assert.Equal(roles, counts.Roles.Keys.Order());
        Assert.Equal(roles, counts.LowConfidenceRoles.Keys.Order());
        Assert.Equal(polarities, counts.Polarities.Keys.Order());
        Assert.Equal(polarities, counts.LowConfidencePolarities.Keys.Order());
        Assert.Equal(0, counts.Roles[CitationRole.Background]);
        Assert.Equal(0, counts.LowConfidencePolarities[CitationPolarity.Neutral]);
    }

    [Fact]
    public async Task CountLabelsAsync_counts_a_paper_labelled_Unspecified_as_unclassified()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B", "Summary B.")), Url, T0, Labeler, Ct);
        var a = (await ReadAllAsync(saved.HubId)).Single(p => p.Title == "A");
        // A changed abstract leaves A awaiting labels; the sweep then gives it no role and a polarity.
        await Store.SaveHubPageAsync(Page(Paper("B", "Summary B.")) with { Abstract = "A changed abstract." }, Url, T1, Labeler, Ct);
        var read = Assert.Single(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
        Assert.Equal(1, await Store.SaveClassificationsAsync(
            [new PaperClassification(a.Id, read.Revision, Labels(CitationRole.Unspecified, 0.9f, CitationPolarity.Contrasting, 0.9f))], Ct));

        var counts = await Store.CountLabelsAsync(saved.HubId, 0.5f, Ct);

        Assert.Equal((2, 1, 0), (counts.CitingPaperCount, counts.UnclassifiedRoles, counts.UnclassifiedPolarities));
        Assert.False(counts.Roles.ContainsKey(CitationRole.Unspecified));
        Assert.False(counts.LowConfidenceRoles.ContainsKey(CitationRole.Unspecified));
        Assert.Equal((1, 1), (counts.Roles[CitationRole.Method], counts.Polarities[CitationPolarity.Contrasting]));
    }

    [Fact]
    public async Task SaveHubPageAsync_saves_every_page_when_called_concurrently()
    {
        var saves = Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.SaveHubPageAsync(
            Page([.. Enumerable.Range(0, 50).Select(j => Paper($"Paper {j}"))]) with { Title = $"Hub {i}", ArxivId = "", Doi = "" },
            $"https://pith.example/hub/{i}", T0, Labeler, Ct)));

        var results = await Task.WhenAll(saves);

        Assert.All(results, r => Assert.True(r.HubCreated));
        var hubs = await Store.ListHubsAsync(null, null, 100, Ct);
        Assert.Equal(8, hubs.Count);
        Assert.All(hubs, h => Assert.Equal(50, h.StoredCitingCount));
    }

    // Two stores on one database are two processes' worth of writers (replicas of the service): neither
    // knows of the other's saves, only the database keeps them apart.
    [Fact]
    public async Task SaveHubPageAsync_from_two_stores_on_one_database_at_once_leaves_one_hub_with_every_paper()
    {
        var other = CreateStore();
        var saves = Enumerable.Range(0, 12).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).SaveHubPageAsync(
            Page([.. Enumerable.Range(i * 5, 10).Select(j => Paper($"Paper {j}", $"Summary {j}."))]), PithUrl, T0.AddMinutes(i), Labeler, Ct)));

        var results = await Task.WhenAll(saves);

        Assert.Single(results.Select(r => r.HubId).Distinct());
        Assert.Single(results, r => r.HubCreated);
        var hub = await Store.GetHubAsync(new HubLookup(SourceUrl: PithUrl), Ct);
        Assert.Equal(65, hub!.StoredCitingCount);
        var papers = await ReadAllAsync(hub.Id);
        Assert.Equal(Enumerable.Range(0, 65).Select(j => $"Paper {j}").Order(), papers.Select(p => p.Title).Order());
        Assert.All(papers, p => Assert.NotNull(p.Role));
        Assert.Single(await Store.ListHubsAsync(null, null, 10, Ct));
    }

    // Each save changes the hub's abstract and adds a paper: a save that read the abstract another was
    // replacing at the same moment would label its paper from a text the hub no longer has.
    [Fact]
    public async Task SaveHubPageAsync_from_two_stores_at_once_never_leaves_a_label_computed_from_a_replaced_hub_text()
    {
        var other = CreateStore();
        var labeler = new HubAbstractLabeler();
        await Store.SaveHubPageAsync(Page(Paper("P0", "S0.")) with { Abstract = "Abstract 0." }, PithUrl, T0, labeler, Ct);

        await Task.WhenAll(Enumerable.Range(1, 16).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).SaveHubPageAsync(
            Page(Paper($"P{i}", $"S{i}.")) with { Abstract = $"Abstract {i % 2}." }, PithUrl, T0.AddMinutes(i), labeler, Ct))));

        var hub = await Store.GetHubAsync(new HubLookup(SourceUrl: PithUrl), Ct);
        var papers = await ReadAllAsync(hub!.Id);
        Assert.Equal(17, papers.Count);
        Assert.All(papers.Where(p => p.Role is not null), p => Assert.Equal(hub.Abstract, p.Role!.ModelVersion));
    }

    [Fact]
    public async Task SaveHubPageAsync_sets_source_url_when_hub_matched_by_title_had_none()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), "", T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(Page(Paper("A")), Url, T1, Labeler, Ct);

        Assert.Equal(first.HubId, second.HubId);
        Assert.True(second.HubUpdated);
        Assert.Equal(Url, (await Store.GetHubAsync(new HubLookup(HubId: first.HubId), Ct))?.SourceUrl);
    }

    [Fact]
    public async Task SaveHubPageAsync_leaves_hub_unchanged_when_only_papers_are_added()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), Url, T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T1, Labeler, Ct);

        Assert.False(second.HubUpdated);
        Assert.Equal(1, second.PapersAdded);
        var hub = await Store.GetHubAsync(new HubLookup(HubId: first.HubId), Ct);
        Assert.Equal(T0, hub?.UpdatedAt);
        Assert.Equal(2, hub?.StoredCitingCount);
    }

    [Fact]
    public async Task SaveHubPageAsync_counts_paper_as_updated_when_its_metadata_changes()
    {
        await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B"), Paper("C"), Paper("D")), Url, T0, Labeler, Ct);

        var result = await Store.SaveHubPageAsync(
            Page(
                Paper("A") with { Verdict = "CONTRADICTS" },
                Paper("B") with { Representative = true },
                Paper("C") with { ReferenceCount = 99 },
                Paper("D")),
            Url, T1, Labeler, Ct);

        Assert.Equal((0, 3, 1), (result.PapersAdded, result.PapersUpdated, result.PapersUnchanged));
        var papers = await ReadAllAsync(result.HubId);
        Assert.Equal("CONTRADICTS", papers[0].Verdict);
        Assert.True(papers[1].Representative);
        Assert.Equal(99, papers[2].ReferenceCount);
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_first_entry_when_page_lists_a_paper_twice()
    {
        var result = await Store.SaveHubPageAsync(
            Page(Paper("A", "First."), Paper("B"), Paper("a ", "Second.") with { Representative = true }), Url, T0, Labeler, Ct);

        Assert.Equal(2, result.PapersAdded);
        var papers = await ReadAllAsync(result.HubId);
        Assert.Equal([("A", "First.", 0), ("B", null, 1)], papers.Select(p => (p.Title, p.Summary, p.Position)));
        Assert.True(papers[0].Representative);
    }

    [Fact]
    public async Task SaveHubPageAsync_counts_paper_as_updated_when_its_position_changes()
    {
        await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);

        var result = await Store.SaveHubPageAsync(Page(Paper("B"), Paper("A")), Url, T1, Labeler, Ct);

        Assert.Equal(2, result.PapersUpdated);
        Assert.Equal(["B", "A"], (await ReadAllAsync(result.HubId)).Select(p => p.Title));
    }

    [Fact]
    public async Task GetCitingPaperAsync_returns_every_page_field_when_paper_was_saved()
    {
        var paper = FullPaper;
        var result = await Store.SaveHubPageAsync(Page(paper), Url, T0, Labeler, Ct);

        var stored = await Store.GetCitingPaperAsync(StableIds.ForCitingPaper(result.HubId, paper.Title, paper.Summary), Ct);

        Assert.NotNull(stored);
        Assert.Equal(result.HubId, stored.HubId);
        Assert.Equal(
            (paper.Title, paper.Summary, paper.ArxivId, paper.PrimaryCategory, paper.SubmittedDate, paper.Verdict, paper.NoveltyScore, paper.ReferenceCount, paper.Representative, 0),
            (stored.Title, stored.Summary, stored.ArxivId, stored.PrimaryCategory, stored.SubmittedDate, stored.Verdict, stored.NoveltyScore, stored.ReferenceCount, stored.Representative, stored.Position));
        // Read with its citation context: the labels carry both models' versions.
        Assert.Equal((CitationRole.Method, 0.9f, Labeler.RoleWithContextVersion), (stored.Role?.Label, stored.Role?.Confidence, stored.Role?.ModelVersion));
        Assert.Equal((CitationPolarity.Neutral, 0.8f, Labeler.PolarityWithContextVersion), (stored.Polarity?.Label, stored.Polarity?.Confidence, stored.Polarity?.ModelVersion));
    }

    [Fact]
    public async Task GetCitingPaperAsync_returns_null_when_id_is_unknown()
    {
        Assert.Null(await Store.GetCitingPaperAsync("cp_missing", Ct));
    }

    [Fact]
    public async Task GetCitingPaperAsync_and_ReadCitingPapersAsync_return_every_stored_column_when_set_and_when_null()
    {
        var full = FullPaper;
        var empty = new PageCitingPaper { Title = "A paper with nothing else" };
        var saved = await Store.SaveHubPageAsync(Page(empty, full), Url, T0, Labeler, Ct);
        var fullId = StableIds.ForCitingPaper(saved.HubId, full.Title, full.Summary);
        var role = new LabelPrediction<CitationRole>(CitationRole.Baseline, 0.45f, new Dictionary<CitationRole, float>
        {
            [CitationRole.Background] = 0.125f, [CitationRole.Method] = 1e-7f, [CitationRole.Dataset] = 0.0625f,
            [CitationRole.Baseline] = 0.45f, [CitationRole.Extension] = 0.3f, [CitationRole.Other] = 0.0624999f,
        }, "role-version-x");
        var polarity = new LabelPrediction<CitationPolarity>(CitationPolarity.Contrasting, 0.6f, new Dictionary<CitationPolarity, float>
        {
            [CitationPolarity.Supporting] = 0.15f, [CitationPolarity.Neutral] = 0.25f, [CitationPolarity.Contrasting] = 0.6f,
        }, "polarity-version-y");
        Assert.Equal(1, await Store.SaveClassificationsAsync([new PaperClassification(fullId, (await RevisionsAsync())[fullId], new PaperLabels(role, polarity))], Ct));

        var read = await ReadAllAsync(saved.HubId);
        var got = await Store.GetCitingPaperAsync(fullId, Ct);

        Assert.Equal(2, read.Count);
        foreach (var paper in new[] { read[1], got! })
        {
            Assert.Equal(
                (fullId, saved.HubId, full.Title, full.Summary, full.ArxivId, full.PrimaryCategory, full.SubmittedDate, full.Verdict, full.NoveltyScore, full.ReferenceCount, true, 1),
                (paper.Id, paper.HubId, paper.Title, paper.Summary, paper.ArxivId, paper.PrimaryCategory, paper.SubmittedDate, paper.Verdict, paper.NoveltyScore, paper.ReferenceCount, paper.Representative, paper.Position));
            Assert.Equal((role.Label, role.Confidence, role.ModelVersion), (paper.Role?.Label, paper.Role?.Confidence, paper.Role?.ModelVersion));
            Assert.Equal(role.Probabilities, paper.Role!.Probabilities);
            Assert.Equal((polarity.Label, polarity.Confidence, polarity.ModelVersion), (paper.Polarity?.Label, paper.Polarity?.Confidence, paper.Polarity?.ModelVersion));
            Assert.Equal(polarity.Probabilities, paper.Polarity!.Probabilities);
            Assert.Equal((full.SubmittedAt, full.LinkConfidence, full.ContextText, full.ContextCount, new SourceLabels("method", "supporting", Url)),
                (paper.SubmittedAt, paper.LinkConfidence, paper.ContextText, paper.ContextCount, paper.SourceLabels));
        }
        var bare = read[0];
        Assert.Equal(await Store.GetCitingPaperAsync(bare.Id, Ct), bare);
        Assert.Equal(
            (StableIds.ForCitingPaper(saved.HubId, empty.Title, null), saved.HubId, empty.Title, (string?)null, "", "", (DateOnly?)null, "", (float?)null, (int?)null, false, 0),
            (bare.Id, bare.HubId, bare.Title, bare.Summary, bare.ArxivId, bare.PrimaryCategory, bare.SubmittedDate, bare.Verdict, bare.NoveltyScore, bare.ReferenceCount, bare.Representative, bare.Position));
        Assert.Null(bare.Role);
        Assert.Null(bare.Polarity);
        Assert.Equal(((DateTimeOffset?)null, (float?)null, (string?)null, (int?)null, (SourceLabels?)null),
            (bare.SubmittedAt, bare.LinkConfidence, bare.ContextText, bare.ContextCount, bare.SourceLabels));
    }

    // ------------------------------------------------------------------ labels

    [Fact]
    public async Task SaveHubPageAsync_labels_the_new_papers_with_a_summary_in_its_transaction()
    {
        var page = Page(Paper("A", "Summary A."), Paper("No summary"));

        var result = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);

        Assert.Equal((2, 1, 0), (result.PapersAdded, result.PapersLabelled, result.PapersAwaitingLabels));
        Assert.Equal([(HubTextOf(page), "Summary A.")], Labeler.Labelled);
        var papers = await ReadAllAsync(result.HubId);
        Assert.Equal((CitationRole.Method, RoleV1, CitationPolarity.Neutral, PolarityV1),
            (papers[0].Role?.Label, papers[0].Role?.ModelVersion, papers[0].Polarity?.Label, papers[0].Polarity?.ModelVersion));
        Assert.Null(papers[1].Role);
        Assert.Empty(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
    }

    [Fact]
    public async Task SaveHubPageAsync_labels_a_paper_again_when_its_summary_changes()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Old summary.")), Url, T0, Labeler, Ct);
        var id = (await ReadAllAsync(saved.HubId)).Single().Id;
        await SetLabelsAsync(id, CitationRole.Dataset, 0.7f, CitationPolarity.Supporting, 0.6f);

        var result = await Store.SaveHubPageAsync(Page(Paper("A", "New summary.")), Url, T1, Labeler, Ct);

        Assert.Equal((1, 1), (result.PapersUpdated, result.PapersLabelled));
        Assert.Equal("New summary.", Labeler.Labelled[^1].Summary);
        var paper = await Store.GetCitingPaperAsync(id, Ct);
        Assert.Equal(("New summary.", CitationRole.Method, CitationPolarity.Neutral), (paper?.Summary, paper?.Role?.Label, paper?.Polarity?.Label));
    }

    [Fact]
    public async Task SaveHubPageAsync_drops_the_labels_of_a_paper_whose_summary_is_gone()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.")), Url, T0, Labeler, Ct);

        var result = await Store.SaveHubPageAsync(Page(Paper("A")), Url, T1, Labeler, Ct);

        Assert.Equal((1, 0), (result.PapersUpdated, result.PapersLabelled));
        var paper = (await ReadAllAsync(saved.HubId)).Single();
        Assert.Equal((null, null, null), (paper.Summary, paper.Role, paper.Polarity));
    }

    [Fact]
    public async Task SaveHubPageAsync_keeps_labels_when_only_metadata_changes()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.")), Url, T0, Labeler, Ct);
        var id = (await ReadAllAsync(saved.HubId)).Single().Id;
        await SetLabelsAsync(id, CitationRole.Dataset, 0.7f, CitationPolarity.Supporting, 0.6f);

        var result = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.") with { Verdict = "NEW" }), Url, T1, Labeler, Ct);

        Assert.Equal((1, 0), (result.PapersUpdated, result.PapersLabelled));
        var paper = await Store.GetCitingPaperAsync(id, Ct);
        Assert.Equal(("NEW", CitationRole.Dataset, 0.7f, CitationPolarity.Supporting), (paper?.Verdict, paper?.Role?.Label, paper?.Role?.Confidence, paper?.Polarity?.Label));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("abstract")]
    [InlineData("tier label")]
    public async Task SaveHubPageAsync_labels_the_pages_papers_again_and_leaves_the_others_awaiting_when_a_hub_field_the_summary_models_read_changes(string field)
    {
        var page = Page(Paper("A", "Summary A."), Paper("B", "Summary B."), Paper("No summary"));
        var saved = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        var other = await Store.SaveHubPageAsync(Page(Paper("X", "Summary X.")) with { Title = "Another hub", ArxivId = "", Doi = "" }, "https://pith.example/hub/other", T0, Labeler, Ct);
        var changed = field switch
        {
            "title" => page with { Title = "Attention Is All You Need, revised" },
            "abstract" => page with { Abstract = "A changed abstract." },
            _ => page with { TierLabel = "hub" },
        };

        // The newer page no longer shows B (nor the paper without a summary, which has no labels to lose).
        var result = await Store.SaveHubPageAsync(changed with { CitingPapers = [Paper("A", "Summary A.")] }, Url, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(saved.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 0, PapersUpdated: 0, PapersUnchanged: 1, PapersLabelled: 1, PapersAwaitingLabels: 1), result);
        Assert.Equal((HubTextOf(changed), "Summary A."), Labeler.Labelled[^1]);
        var papers = (await ReadAllAsync(saved.HubId)).ToDictionary(p => p.Title);
        Assert.Equal(CitationRole.Method, papers["A"].Role?.Label);
        Assert.True(papers["B"].Role is null && papers["B"].Polarity is null, "B kept labels read with the old hub");
        var awaiting = Assert.Single(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
        Assert.Equal((papers["B"].Id, "Summary B.", HubTextOf(changed)), (awaiting.Id, awaiting.Summary, awaiting.Hub));
        Assert.Equal(CitationRole.Method, (await ReadAllAsync(other.HubId)).Single().Role?.Label);
    }

    [Theory]
    [InlineData("stated citing count")]
    [InlineData("stated role counts")]
    [InlineData("stated polarity counts")]
    [InlineData("identifiers")]
    public async Task SaveHubPageAsync_keeps_labels_when_only_hub_fields_the_models_do_not_read_change(string field)
    {
        var page = Page(Paper("A", "Summary A."), Paper("B", "Summary B."));
        await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        var changed = field switch
        {
            "stated citing count" => page with { StatedCitingCount = 28 },
            "stated role counts" => page with { StatedRoleCounts = [new StatedLabelCount("background", 21), new StatedLabelCount("method", 7)] },
            "stated polarity counts" => page with { StatedPolarityCounts = [new StatedLabelCount("neutral", 26)] },
            _ => page with { ArxivId = "1706.03763", Doi = "10.1/changed" },
        };

        var result = await Store.SaveHubPageAsync(changed with { CitingPapers = [Paper("A", "Summary A.")] }, Url, T1, Labeler, Ct);

        Assert.Equal((true, 0, 0), (result.HubUpdated, result.PapersLabelled, result.PapersAwaitingLabels));
        Assert.Equal(2, Labeler.Labelled.Count);
        Assert.Empty(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
    }

    [Fact]
    public async Task SaveHubPageAsync_changes_nothing_and_labels_nothing_when_the_same_page_is_saved_again()
    {
        var page = Page(Paper("A", "Summary A."), Paper("B", "Summary B."), Paper("No summary"));
        var saved = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();

        var result = await Store.SaveHubPageAsync(page, Url, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(saved.HubId, HubCreated: false, HubUpdated: false, PapersAdded: 0, PapersUpdated: 0, PapersUnchanged: 3, PapersLabelled: 0, PapersAwaitingLabels: 0), result);
        Assert.Equal(2, Labeler.Labelled.Count);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task SaveHubPageAsync_counts_each_paper_once_when_the_hub_and_a_summary_change_together()
    {
        await Store.SaveHubPageAsync(Page(Paper("A", "Old summary."), Paper("B", "Summary B."), Paper("C", "Summary C.")), Url, T0, Labeler, Ct);

        var result = await Store.SaveHubPageAsync(
            Page(Paper("A", "New summary."), Paper("B", "Summary B.") with { Verdict = "NEW" }, Paper("C", "Summary C."), Paper("D", "Summary D."))
                with { Abstract = "A changed abstract." },
            Url, T1, Labeler, Ct);

        Assert.Equal((true, 1, 2, 1, 4, 0), (result.HubUpdated, result.PapersAdded, result.PapersUpdated, result.PapersUnchanged, result.PapersLabelled, result.PapersAwaitingLabels));
        var papers = await ReadAllAsync(result.HubId);
        Assert.Equal(["A", "B", "C", "D"], papers.Select(p => p.Title));
        Assert.Equal("New summary.", papers[0].Summary);
        Assert.All(papers, p => Assert.Equal(RoleV1, p.Role?.ModelVersion));
        Assert.Equal(4, (await Store.GetHubAsync(new HubLookup(HubId: result.HubId), Ct))?.StoredCitingCount);
    }

    [Fact]
    public async Task SaveHubPageAsync_labels_the_pages_papers_again_when_their_labels_came_from_other_models()
    {
        var page = Page(Paper("A", "Summary A."), Paper("B", "Summary B."));
        var saved = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        var newer = new RecordingLabeler("role-v2", "polarity-v2");
        Assert.Equal(2, (await Store.GetPapersLabelledByOtherModelsAsync(newer, "", 10, Ct)).Count);

        var result = await Store.SaveHubPageAsync(page, Url, T1, newer, Ct);

        Assert.Equal((0, 0, 2, 2), (result.PapersAdded, result.PapersUpdated, result.PapersUnchanged, result.PapersLabelled));
        Assert.All(await ReadAllAsync(saved.HubId), p => Assert.Equal(("role-v2", "polarity-v2"), (p.Role?.ModelVersion, p.Polarity?.ModelVersion)));
        Assert.Empty(await Store.GetPapersLabelledByOtherModelsAsync(newer, "", 10, Ct));
    }

    [Fact]
    public async Task SaveHubPageAsync_leaves_database_unchanged_when_labelling_is_cancelled()
    {
        await Store.SaveHubPageAsync(Page(Paper("A", "Summary A.")), Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SaveHubPageAsync(
            Page(Paper("A", "Changed."), Paper("B", "Summary B.")) with { Abstract = "A changed abstract." }, Url, T1, new RecordingLabeler(cancellation: cts.Token), Ct));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task SaveClassificationsAsync_round_trips_probabilities_when_paper_is_read_back()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.")), Url, T0, Labeler, Ct);
        var id = (await ReadAllAsync(saved.HubId)).Single().Id;
        var role = new LabelPrediction<CitationRole>(CitationRole.Dataset, 0.7f,
            new Dictionary<CitationRole, float> { [CitationRole.Background] = 0.1f, [CitationRole.Dataset] = 0.7f, [CitationRole.Other] = 0.2f }, RoleV1);
        var polarity = new LabelPrediction<CitationPolarity>(CitationPolarity.Contrasting, 0.55f,
            new Dictionary<CitationPolarity, float> { [CitationPolarity.Contrasting] = 0.55f, [CitationPolarity.Neutral] = 0.45f }, PolarityV1);

        Assert.Equal(1, await Store.SaveClassificationsAsync([new PaperClassification(id, (await RevisionsAsync())[id], new PaperLabels(role, polarity))], Ct));

        var paper = (await Store.GetCitingPaperAsync(id, Ct))!;
        Assert.NotNull(paper.Role);
        Assert.NotNull(paper.Polarity);
        Assert.Equal((role.Label, role.Confidence, role.ModelVersion), (paper.Role.Label, paper.Role.Confidence, paper.Role.ModelVersion));
        Assert.Equal(role.Probabilities.OrderBy(p => p.Key), paper.Role.Probabilities.OrderBy(p => p.Key));
        Assert.Equal((polarity.Label, polarity.Confidence, polarity.ModelVersion), (paper.Polarity.Label, paper.Polarity.Confidence, paper.Polarity.ModelVersion));
        Assert.Equal(polarity.Probabilities.OrderBy(p => p.Key), paper.Polarity.Probabilities.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task SaveClassificationsAsync_writes_nothing_for_a_paper_an_ingest_touched_since_it_was_read()
    {
        // B awaits labels read with the first changed hub text, then a second change lands before they are saved.
        var page = Page(Paper("A", "Summary A."), Paper("B", "Summary B."));
        await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        await Store.SaveHubPageAsync(page with { Abstract = "Second abstract.", CitingPapers = [Paper("A", "Summary A.")] }, Url, T1, Labeler, Ct);
        var read = Assert.Single(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
        await Store.SaveHubPageAsync(page with { Abstract = "Third abstract.", CitingPapers = [Paper("A", "Summary A.")] }, Url, T1.AddHours(1), Labeler, Ct);
        var before = await SnapshotAsync();

        var written = await Store.SaveClassificationsAsync(
            [new PaperClassification(read.Id, read.Revision, Labels(CitationRole.Dataset, 0.9f, CitationPolarity.Neutral, 0.9f)),
             new PaperClassification("cp_missing", 0, Labels(CitationRole.Dataset, 0.9f, CitationPolarity.Neutral, 0.9f))],
            Ct);

        Assert.Equal(0, written);
        Assert.Equal(before, await SnapshotAsync());
        var again = Assert.Single(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
        Assert.Equal((read.Id, "Third abstract."), (again.Id, again.Hub.Abstract));
        Assert.Equal(1, await Store.SaveClassificationsAsync([new PaperClassification(again.Id, again.Revision, Labels(CitationRole.Dataset, 0.9f, CitationPolarity.Neutral, 0.9f))], Ct));
        Assert.Empty(await Store.GetPapersAwaitingLabelsAsync(10, Ct));
    }

    [Fact]
    public async Task GetPapersAwaitingLabelsAsync_returns_limit_papers_by_id_with_their_hub()
    {
        var page = Page(Paper("A", "S1."), Paper("B", "S2."), Paper("C", "S3."), Paper("No summary"));
        var saved = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        await Store.SaveHubPageAsync(page with { Abstract = "A changed abstract.", CitingPapers = [] }, Url, T1, Labeler, Ct);
        var ids = (await ReadAllAsync(saved.HubId)).Where(p => p.Summary is not null).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();

        var awaiting = await Store.GetPapersAwaitingLabelsAsync(2, Ct);

        Assert.Equal(ids.Take(2), awaiting.Select(p => p.Id));
        Assert.All(awaiting, p => Assert.Equal(new HubText(page.Title, "A changed abstract.", page.TierLabel), p.Hub));
    }

    // A hub's papers are read in page order, each with its label rows, which are keyed by the paper's key: so
    // that a read walks both tables forward, keys follow the order papers are stored in.
    [Fact]
    public async Task SaveHubPageAsync_keys_papers_in_the_order_it_stores_them_and_keys_each_label_row_by_its_paper()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Uses it."), Paper("B", "Extends it."), Paper("C")), Url, T0, Labeler, Ct);
        // A paper new at the top of the hub comes after every stored paper; B's new summary is labelled again.
        await Store.SaveHubPageAsync(Page(Paper("D", "Compares with it."), Paper("A", "Uses it."), Paper("B", "Now extends it."), Paper("C")), Url, T1, Labeler, Ct);

        Assert.Equal(["A", "B", "C", "D"], await QueryAsync<string>("SELECT title FROM citing_papers ORDER BY paper_key"));
        Assert.Equal(
            [("A", "polarity"), ("A", "role"), ("B", "polarity"), ("B", "role"), ("D", "polarity"), ("D", "role")],
            await QueryAsync<(string, string)>("""
                SELECT c.title, l.task FROM citing_paper_labels l JOIN citing_papers c ON c.paper_key = l.paper_key
                ORDER BY l.paper_key, l.task
                """));
        // Each paper reads back with its own labels (the reader joins them by key).
        Assert.Equal(
            [("D", CitationRole.Method), ("A", CitationRole.Method), ("B", CitationRole.Method), ("C", (CitationRole?)null)],
            (await ReadAllAsync(saved.HubId)).Select(p => (p.Title, p.Role?.Label)));
    }

    [Fact]
    public async Task GetPapersLabelledByOtherModelsAsync_finds_only_the_papers_read_with_their_context_when_only_the_citation_sentence_model_changed()
    {
        var saved = await Store.SaveHubPageAsync(
            Page(Paper("Summary only", "S1."), Paper("With context", "S2.") with { ContextText = "We use [1]." }), Url, T0, Labeler, Ct);
        var withContext = (await ReadAllAsync(saved.HubId)).Single(p => p.Title == "With context");
        var newSentenceModel = new RecordingLabeler(sentenceVersion: "sentence-v2");

        Assert.Empty(await Store.GetPapersLabelledByOtherModelsAsync(Labeler, "", 10, Ct));
        Assert.Equal([withContext.Id], (await Store.GetPapersLabelledByOtherModelsAsync(newSentenceModel, "", 10, Ct)).Select(p => p.Id));
        var again = await Store.SaveHubPageAsync(
            Page(Paper("Summary only", "S1."), Paper("With context", "S2.") with { ContextText = "We use [1]." }), Url, T1, newSentenceModel, Ct);
        Assert.Equal(1, again.PapersLabelled);
        Assert.Equal(newSentenceModel.RoleWithContextVersion, (await Store.GetCitingPaperAsync(withContext.Id, Ct))!.Role!.ModelVersion);
    }

    [Fact]
    public async Task GetPapersLabelledByOtherModelsAsync_pages_by_id_through_papers_labelled_by_other_versions()
    {
        var saved = await Store.SaveHubPageAsync(
            Page(Paper("Current", "S1."), Paper("Old role", "S2."), Paper("Old polarity", "S3."), Paper("Old both", "S4."), Paper("No summary")),
            Url, T0, Labeler, Ct);
        var ids = (await ReadAllAsync(saved.HubId)).ToDictionary(p => p.Title, p => p.Id);
        await SetLabelsAsync(ids["Old role"], CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.9f, roleVersion: "role-v0");
        await SetLabelsAsync(ids["Old polarity"], CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.9f, polarityVersion: "polarity-v0");
        await SetLabelsAsync(ids["Old both"], CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.9f, "role-v0", "polarity-v0");
        var expected = new[] { ids["Old role"], ids["Old polarity"], ids["Old both"] }.Order(StringComparer.Ordinal).ToList();

        var first = await Store.GetPapersLabelledByOtherModelsAsync(Labeler, "", 2, Ct);
        var rest = await Store.GetPapersLabelledByOtherModelsAsync(Labeler, first[^1].Id, 2, Ct);

        Assert.Equal(expected, first.Concat(rest).Select(p => p.Id));
        Assert.Equal(HubTextOf(Page()), first[0].Hub);
    }
    [Fact]
    public async Task SaveHubPageAsync_leaves_database_unchanged_when_cancelled_mid_transaction()
    {
        await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);
        var before = await SnapshotAsync();
        using var cts = new CancellationTokenSource();
        // The hub row is written before the papers are read from the page; reading paper 3 cancels.
        var papers = new CancellingList<PageCitingPaper>(
            [Paper("A", "Changed."), Paper("B"), Paper("C"), Paper("D"), Paper("E")], cancelAtIndex: 3, cts);
        var newer = Page() with { Abstract = "A changed abstract.", CitingPapers = papers };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SaveHubPageAsync(newer, Url, T1, Labeler, cts.Token));

        Assert.Equal(before, await SnapshotAsync());
        var retried = await Store.SaveHubPageAsync(newer with { CitingPapers = [.. papers] }, Url, T1, Labeler, Ct);
        Assert.Equal((true, 3, 1, 1), (retried.HubUpdated, retried.PapersAdded, retried.PapersUpdated, retried.PapersUnchanged));
    }

    [Fact]
    public async Task CountLabelsAsync_splits_counts_at_threshold_and_counts_unclassified()
    {
        var hubId = await SaveClassifiedHubAsync();

        var counts = await Store.CountLabelsAsync(hubId, 0.5f, Ct);

        Assert.Equal(5, counts.CitingPaperCount);
        Assert.Equal(1, counts.Roles.GetValueOrDefault(CitationRole.Method));
        Assert.Equal(1, counts.LowConfidenceRoles.GetValueOrDefault(CitationRole.Method));
        Assert.Equal(1, counts.Roles.GetValueOrDefault(CitationRole.Dataset));
        Assert.Equal(0, counts.LowConfidenceRoles.GetValueOrDefault(CitationRole.Dataset));
        Assert.Equal(1, counts.Polarities.GetValueOrDefault(CitationPolarity.Supporting));
        Assert.Equal(1, counts.Polarities.GetValueOrDefault(CitationPolarity.Contrasting));
        Assert.Equal(1, counts.Polarities.GetValueOrDefault(CitationPolarity.Neutral));
        Assert.Equal(0, counts.LowConfidencePolarities.Values.Sum());
        Assert.Equal(2, counts.UnclassifiedRoles);
        Assert.Equal(2, counts.UnclassifiedPolarities);
        Assert.Equal(3, counts.Roles.Values.Sum() + counts.LowConfidenceRoles.Values.Sum());
    }

    [Fact]
    public async Task CountLabelsAsync_returns_zero_counts_when_hub_has_no_papers()
    {
        var saved = await Store.SaveHubPageAsync(Page(), Url, T0, Labeler, Ct);

        var counts = await Store.CountLabelsAsync(saved.HubId, 0.5f, Ct);

        Assert.Equal((0, 0, 0), (counts.CitingPaperCount, counts.UnclassifiedRoles, counts.UnclassifiedPolarities));
        Assert.All(counts.Roles.Values, count => Assert.Equal(0, count));
    }

    // ------------------------------------------------------------------ listing and paging

    [Fact]
    public async Task ListHubsAsync_returns_each_hub_once_in_title_order_when_paging_with_cursor()
    {
        string[] titles = ["Delta", "alpha", "Charlie", "bravo", "Alpha", "echo", "Foxtrot"];
        for (var i = 0; i < titles.Length; i++)
        {
            await Store.SaveHubPageAsync(Page() with { Title = titles[i], ArxivId = "", Doi = "" }, $"https://pith.example/hub/{i}", T0, Labeler, Ct);
        }

        var seen = new List<Hub>();
        HubCursor? cursor = null;
        while (true)
        {
            var page = await Store.ListHubsAsync(null, cursor, 3, Ct);
            seen.AddRange(page);
            if (page.Count < 3)
            {
                break;
            }
            cursor = new HubCursor(TextNormalizer.NormalizeTitle(page[^1].Title), page[^1].Id);
        }

        Assert.Equal(titles.Length, seen.Count);
        Assert.Equal(titles.Length, seen.Select(h => h.Id).Distinct().Count());
        Assert.Equal(
            seen.OrderBy(h => TextNormalizer.NormalizeTitle(h.Title), StringComparer.Ordinal).ThenBy(h => h.Id, StringComparer.Ordinal).Select(h => h.Id),
            seen.Select(h => h.Id));
    }

    [Fact]
    public async Task ListHubsAsync_starts_before_every_title_when_there_is_no_cursor()
    {
        await Store.SaveHubPageAsync(Page() with { Title = "Alpha", ArxivId = "", Doi = "" }, "https://pith.example/1", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page() with { Title = "3D Vision", ArxivId = "", Doi = "" }, "https://pith.example/2", T0, Labeler, Ct);
        // A hub first seen through a page of its citing papers only has no title yet.
        await Store.SaveHubPageAsync(new HubPage { Title = "", DescribesHub = false, CitingPapers = [Paper("A")] }, "https://pith.example/3", T0, Labeler, Ct);

        var hubs = await Store.ListHubsAsync(null, null, 10, Ct);

        Assert.Equal(["", "3D Vision", "Alpha"], hubs.Select(h => h.Title));
    }

    [Fact]
    public async Task ListHubsAsync_returns_hubs_whose_title_contains_query_when_case_differs()
    {
        await Store.SaveHubPageAsync(Page() with { Title = "Attention Is All You Need", ArxivId = "", Doi = "" }, "https://pith.example/1", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page() with { Title = "Deep Residual Learning", ArxivId = "", Doi = "" }, "https://pith.example/2", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page() with { Title = "Residual attention networks", ArxivId = "", Doi = "" }, "https://pith.example/3", T0, Labeler, Ct);

        var hubs = await Store.ListHubsAsync("ATTENTION", null, 10, Ct);

        Assert.Equal(["Attention Is All You Need", "Residual attention networks"], hubs.Select(h => h.Title));
    }

    [Fact]
    public async Task ListHubsAsync_reports_stored_citing_count_when_hubs_have_papers()
    {
        await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")) with { Title = "One", ArxivId = "", Doi = "" }, "https://pith.example/1", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")) with { Title = "Two", ArxivId = "", Doi = "" }, "https://pith.example/2", T0, Labeler, Ct);

        var hubs = await Store.ListHubsAsync(null, null, 10, Ct);

        Assert.Equal([("One", 2), ("Two", 1)], hubs.Select(h => (h.Title, h.StoredCitingCount)));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_each_paper_once_when_paging_with_cursor()
    {
        // Old papers keep their positions, so positions repeat and the id breaks ties.
        await Store.SaveHubPageAsync(Page([.. Enumerable.Range(0, 7).Select(i => Paper($"Old {i}"))]), Url, T0, Labeler, Ct);
        var saved = await Store.SaveHubPageAsync(Page([.. Enumerable.Range(0, 5).Select(i => Paper($"New {i}"))]), Url, T1, Labeler, Ct);

        var seen = new List<CitingPaper>();
        CitingPaperCursor? cursor = null;
        while (true)
        {
            var page = await ReadAllAsync(saved.HubId, CitingPaperFilter.None, cursor, 4);
            seen.AddRange(page);
            if (page.Count < 4)
            {
                break;
            }
            cursor = new CitingPaperCursor(page[^1].Position, page[^1].Id);
        }

        Assert.Equal(12, seen.Count);
        Assert.Equal(12, seen.Select(p => p.Id).Distinct().Count());
        Assert.Equal(
            seen.OrderBy(p => p.Position).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id),
            seen.Select(p => p.Id));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_reads_one_snapshot_when_a_save_lands_mid_enumeration()
    {
        var saved = await Store.SaveHubPageAsync(Page([.. Enumerable.Range(0, 100).Select(i => Paper($"Paper {i}"))]), Url, T0, Labeler, Ct);
        var newer = Page([.. Enumerable.Range(0, 200).Select(i => Paper($"Paper {i}") with { Verdict = "NEW" })]);
        var read = new List<CitingPaper>();
        PageSaveResult? during = null;

        await foreach (var paper in Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, null, Ct))
        {
            read.Add(paper);
            if (read.Count == 10)
            {
                during = await Store.SaveHubPageAsync(newer, Url, T1, Labeler, Ct);
            }
        }

        Assert.Equal((100, 100), (during?.PapersAdded, during?.PapersUpdated));
        Assert.Equal(100, read.Count);
        Assert.All(read, p => Assert.Equal("", p.Verdict));
        Assert.Equal(200, (await ReadAllAsync(saved.HubId)).Count);
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_only_that_hubs_papers_when_hubs_share_paper_titles()
    {
        var one = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")) with { Title = "One", ArxivId = "", Doi = "" }, "https://pith.example/1", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")) with { Title = "Two", ArxivId = "", Doi = "" }, "https://pith.example/2", T0, Labeler, Ct);

        var papers = await ReadAllAsync(one.HubId);

        Assert.Equal(["A", "B"], papers.Select(p => p.Title));
        Assert.All(papers, p => Assert.Equal(one.HubId, p.HubId));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_first_papers_when_limit_is_set()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B"), Paper("C")), Url, T0, Labeler, Ct);

        Assert.Equal(["A", "B"], (await ReadAllAsync(saved.HubId, CitingPaperFilter.None, null, 2)).Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_papers_with_listed_roles_when_filtered_by_role()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { Roles = [CitationRole.Method, CitationRole.Dataset] });

        Assert.Equal(["Method high", "Method low", "Dataset"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_unclassified_papers_when_filtered_by_unspecified_role()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { Roles = [CitationRole.Unspecified, CitationRole.Dataset] });

        Assert.Equal(["Dataset", "Unclassified", "No summary"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_papers_with_listed_polarities_when_filtered_by_polarity()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { Polarities = [CitationPolarity.Contrasting] });

        Assert.Equal(["Method low"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_unclassified_papers_when_filtered_by_unspecified_polarity()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { Polarities = [CitationPolarity.Unspecified] });

        Assert.Equal(["Unclassified", "No summary"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_excludes_low_and_unclassified_when_min_role_confidence_is_set()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { MinRoleConfidence = 0.8f });

        Assert.Equal(["Method high", "Dataset"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_includes_papers_at_the_bound_when_min_polarity_confidence_is_set()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { MinPolarityConfidence = 0.6f });

        Assert.Equal(["Method high", "Method low"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_returns_papers_of_category_when_filtered_by_primary_category()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { PrimaryCategory = "cs.LG" });

        Assert.Equal(["Method low", "Unclassified"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_includes_bounds_and_excludes_undated_when_filtered_by_submitted_dates()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { SubmittedFrom = new DateOnly(2023, 2, 1), SubmittedTo = new DateOnly(2024, 1, 1) });

        Assert.Equal(["Method low", "Dataset"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_excludes_undated_when_only_submitted_from_is_set()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { SubmittedFrom = new DateOnly(2000, 1, 1) });

        Assert.Equal(["Method high", "Method low", "Dataset", "Unclassified"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_matches_title_or_summary_when_text_differs_in_case()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { TextContains = "DATASET" });

        // "Dataset" by title, "Unclassified" by its summary.
        Assert.Equal(["Dataset", "Unclassified"], papers.Select(p => p.Title));
    }

    [Theory]
    [InlineData("%", "100% of it")]
    [InlineData("_", "under_score")]
    [InlineData("'s q", "it's quoted")]
    [InlineData("éLAN", "Élan vital")]
    public async Task ReadCitingPapersAsync_matches_text_literally_when_it_holds_wildcards_quotes_or_accents(string text, string expectedTitle)
    {
        var saved = await Store.SaveHubPageAsync(
            Page(Paper("100% of it"), Paper("Plain"), Paper("under_score"), Paper("it's quoted"), Paper("Élan vital")), Url, T0, Labeler, Ct);

        var papers = await ReadAllAsync(saved.HubId, new CitingPaperFilter { TextContains = text });

        Assert.Equal([expectedTitle], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_requires_every_criterion_when_several_are_set()
    {
        var hubId = await SaveClassifiedHubAsync();

        var papers = await ReadAllAsync(hubId, new CitingPaperFilter { Roles = [CitationRole.Method], PrimaryCategory = "cs.CL" });

        Assert.Equal(["Method high"], papers.Select(p => p.Title));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_throws_OperationCanceledException_when_cancelled_mid_enumeration_of_100000_papers()
    {
        const int total = 100_000;
        var page = Page([.. Enumerable.Range(0, total).Select(i => Paper($"Citing paper {i}", $"Summary {i}.") with { PrimaryCategory = "cs.CL" })]);
        var saved = await Store.SaveHubPageAsync(page, Url, T0, Labeler, Ct);
        Assert.Equal(total, saved.PapersAdded);
        using var cts = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var paper in Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, null, cts.Token))
            {
                Assert.Equal(read, paper.Position);
                read++;
                if (read == total / 2)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(total / 2, read);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// Papers in page order: "Method high" (Method .9 / Supporting .6, cs.CL, 2023-01-15), "Method low"
    /// (Method .3 / Contrasting .7, cs.LG, 2023-02-01), "Dataset" (Dataset .8 / Neutral .59, cs.CV, 2024-01-01),
    /// "Unclassified" (cs.LG, 2025-06-30, summary mentions datasets), "No summary" (no date, no category).
    /// </summary>
    private async Task<string> SaveClassifiedHubAsync()
    {
        PageCitingPaper[] papers =
        [
            Paper("Method high", "Applies the model.") with { PrimaryCategory = "cs.CL", SubmittedDate = new DateOnly(2023, 1, 15) },
            Paper("Method low", "Maybe applies it.") with { PrimaryCategory = "cs.LG", SubmittedDate = new DateOnly(2023, 2, 1) },
            Paper("Dataset", "Evaluates on the benchmark.") with { PrimaryCategory = "cs.CV", SubmittedDate = new DateOnly(2024, 1, 1) },
            Paper("Unclassified", "Releases new DataSets.") with { PrimaryCategory = "cs.LG", SubmittedDate = new DateOnly(2025, 6, 30) },
            Paper("No summary"),
        ];
        // A newer page with another abstract that no longer shows "Unclassified" leaves it awaiting labels.
        var saved = await Store.SaveHubPageAsync(Page(papers) with { Abstract = "An earlier abstract." }, Url, T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(papers[..3]), Url, T1, Labeler, Ct);
        var ids = (await ReadAllAsync(saved.HubId)).ToDictionary(p => p.Title, p => p.Id);
        await SetLabelsAsync(ids["Method high"], CitationRole.Method, 0.9f, CitationPolarity.Supporting, 0.6f);
        await SetLabelsAsync(ids["Method low"], CitationRole.Method, 0.3f, CitationPolarity.Contrasting, 0.7f);
        await SetLabelsAsync(ids["Dataset"], CitationRole.Dataset, 0.8f, CitationPolarity.Neutral, 0.59f);
        return saved.HubId;
    }

    /// <summary>Stores the given labels for a paper, as the background sweep would, at the paper's current revision.</summary>
    private async Task SetLabelsAsync(
        string citingPaperId, CitationRole role, float roleConfidence, CitationPolarity polarity, float polarityConfidence,
        string roleVersion = RoleV1, string polarityVersion = PolarityV1)
    {
        var labels = Labels(role, roleConfidence, polarity, polarityConfidence, roleVersion, polarityVersion);
        Assert.Equal(1, await Store.SaveClassificationsAsync([new PaperClassification(citingPaperId, (await RevisionsAsync())[citingPaperId], labels)], Ct));
    }

    /// <summary>The label revision of every paper with a summary (labelled by any version, or awaiting labels).</summary>
    private async Task<Dictionary<string, long>> RevisionsAsync()
    {
        var labelled = await Store.GetPapersLabelledByOtherModelsAsync(new RecordingLabeler("no model", "no model"), "", 10_000, Ct);
        var awaiting = await Store.GetPapersAwaitingLabelsAsync(10_000, Ct);
        return labelled.Concat(awaiting).ToDictionary(p => p.Id, p => p.Revision);
    }

    protected static HubPage Page(params PageCitingPaper[] papers) => new()
    {
        Title = "Attention Is All You Need",
        Abstract = "The dominant sequence transduction models are based on complex recurrent networks.",
        TierLabel = "super hub Canonical reference",
        StatedCitingCount = 27,
        ArxivId = "1706.03762",
        Doi = "10.48550/arXiv.1706.03762",
        StatedRoleCounts = [new StatedLabelCount("background", 20), new StatedLabelCount("method", 7)],
        StatedPolarityCounts = [new StatedLabelCount("neutral", 25), new StatedLabelCount("supporting", 2)],
        CitingPapers = papers,
    };

    /// <summary>A paper with every page field set; every value differs from every other of its type, so a column read into the wrong field shows.</summary>
    protected static PageCitingPaper FullPaper { get; } = new()
    {
        Title = "A citing paper",
        Summary = "It applies the hub's method.",
        ArxivId = "2401.01234",
        PrimaryCategory = "cs.CL",
        SubmittedDate = new DateOnly(2024, 1, 5),
        Verdict = "SUPPORTS",
        NoveltyScore = 0.1f + 0.2f,
        ReferenceCount = 42,
        Representative = true,
        SubmittedAt = new DateTimeOffset(2024, 1, 5, 6, 7, 8, TimeSpan.Zero),
        LinkConfidence = 0.7f,
        ContextText = "As [3] shows, the hub's gate helps.",
        ContextCount = 3,
        SourceRole = "method",
        SourcePolarity = "supporting",
    };

    protected static PageCitingPaper Paper(string title, string? summary = null) => new() { Title = title, Summary = summary };

    private static HubText HubTextOf(HubPage page) => new(page.Title, page.Abstract, page.TierLabel);

    protected static PaperLabels Labels(
        CitationRole role, float roleConfidence, CitationPolarity polarity, float polarityConfidence,
        string roleVersion = RoleV1, string polarityVersion = PolarityV1)
    {
        var roleOther = role == CitationRole.Other ? CitationRole.Background : CitationRole.Other;
        var polarityOther = polarity == CitationPolarity.Neutral ? CitationPolarity.Supporting : CitationPolarity.Neutral;
        return new PaperLabels(
            new LabelPrediction<CitationRole>(role, roleConfidence,
                new Dictionary<CitationRole, float> { [role] = roleConfidence, [roleOther] = 1 - roleConfidence }, roleVersion),
            new LabelPrediction<CitationPolarity>(polarity, polarityConfidence,
                new Dictionary<CitationPolarity, float> { [polarity] = polarityConfidence, [polarityOther] = 1 - polarityConfidence }, polarityVersion));
    }

    /// <summary>
    /// The store's labeler in these tests: Method .9 / Neutral .8 for every summary, at its versions. It
    /// records what it was asked, so a test sees which papers a save labelled and with which hub.
    /// </summary>
    protected sealed class RecordingLabeler(
        string roleVersion = RoleV1, string polarityVersion = PolarityV1, CancellationToken cancellation = default, string sentenceVersion = "sentence-v1") : ISummaryLabeler
    {
        public List<(HubText Hub, string Summary)> Labelled { get; } = [];

        public string RoleModelVersion => roleVersion;

        public string PolarityModelVersion => polarityVersion;

        public string RoleWithContextVersion => SummaryLabeler.CombinedVersion(roleVersion, "role-" + sentenceVersion);

        public string PolarityWithContextVersion => SummaryLabeler.CombinedVersion(polarityVersion, "polarity-" + sentenceVersion);

        /// <summary>The contexts read with <see cref="Labelled"/>'s summaries, in the same order.</summary>
        public List<string?> Contexts { get; } = [];

        public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken)
        {
            cancellation.ThrowIfCancellationRequested();
            cancellationToken.ThrowIfCancellationRequested();
            lock (Labelled)
            {
                Labelled.AddRange(papers.Select(paper => (hub, paper.Summary)));
                Contexts.AddRange(papers.Select(paper => paper.Context));
            }
            // As the service's labeler: a paper with a citation context is read with it, and its labels carry both models' versions.
            return [.. papers.Select(paper => paper.Source == LabelSource.Summary
                ? Labels(CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.8f, RoleModelVersion, PolarityModelVersion)
                : Labels(CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.8f, RoleWithContextVersion, PolarityWithContextVersion) with { Source = paper.Source })];
        }
    }
    /// <summary>
    /// Labels whose model versions are the abstract of the hub they were computed with; labelling takes a
    /// while, as a model does, so concurrent saves overlap.
    /// </summary>
    private sealed class HubAbstractLabeler : ISummaryLabeler
    {
        public string RoleModelVersion => "";

        public string PolarityModelVersion => "";

        public string RoleWithContextVersion => "";

        public string PolarityWithContextVersion => "";

        public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(20));
            return [.. papers.Select(_ => Labels(CitationRole.Method, 0.9f, CitationPolarity.Neutral, 0.8f, hub.Abstract, hub.Abstract))];
        }
    }

    protected Task<List<CitingPaper>> ReadAllAsync(string hubId) => ReadAllAsync(hubId, CitingPaperFilter.None);

    protected async Task<List<CitingPaper>> ReadAllAsync(string hubId, CitingPaperFilter filter, CitingPaperCursor? after = null, int? limit = null) =>
        await Store.ReadCitingPapersAsync(hubId, filter, after, limit, Ct).ToListAsync(Ct);

    /// <summary>Every hub and paper the store holds, as JSON text, for before/after comparisons.</summary>
    protected Task<string> SnapshotAsync() => SnapshotAsync(Store);

    protected static async Task<string> SnapshotAsync(ICitationStore store)
    {
        var hubs = await store.ListHubsAsync(null, null, 10_000, Ct);
        var papers = new List<CitingPaper>();
        foreach (var hub in hubs)
        {
            await foreach (var paper in store.ReadCitingPapersAsync(hub.Id, CitingPaperFilter.None, null, null, Ct))
            {
                papers.Add(paper);
            }
        }
        return JsonSerializer.Serialize(new { hubs, papers });
    }

    /// <summary>A list that cancels <paramref name="cts"/> when its item at <paramref name="cancelAtIndex"/> is read.</summary>
    private sealed class CancellingList<T>(IReadOnlyList<T> items, int cancelAtIndex, CancellationTokenSource cts) : IReadOnlyList<T>
    {
        public T this[int index]
        {
            get
            {
                if (index == cancelAtIndex)
                {
                    cts.Cancel();
                }
                return items[index];
            }
        }

        public int Count => items.Count;

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
