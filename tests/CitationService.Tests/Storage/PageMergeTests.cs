using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using CitationService.Storage;

namespace CitationService.Tests.Storage;

/// <summary>The merge rules of an ingest without a database: stored rows and a parsed page in, rows out.</summary>
public class PageMergeTests
{
    private const string Uuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
    private const string Timestamp = "2026-03-04T05:06:07.0000000Z";

    private static readonly HubRow Stored = new()
    {
        Id = "hub_stored", Title = "Pythia", NormalizedTitle = "pythia", Abstract = "An abstract.", TierLabel = "hub Tool reference",
        StatedCitingCount = 30, SourceUrl = PithAddress.ForUuid(Uuid), PithId = Uuid, ArxivId = "2304.01373",
        StatedRoleCounts = """[{"Label":"method","Count":20}]""", Authors = "S. Biderman", Year = 2023, Venue = "cs.CL",
        IngestedAt = "2026-01-01T00:00:00.0000000Z", UpdatedAt = "2026-01-01T00:00:00.0000000Z",
    };

    [Fact]
    public void PageSource_reduces_an_address_to_its_hub_and_filter_and_else_takes_the_documents_own_id()
    {
        Assert.Equal(new PageMerge.PageSource(PithAddress.ForUuid(Uuid), Uuid, "cat=cs.LG"), PageMerge.PageSource.From($"https://www.pith.science/citations/{Uuid}/?cat=cs.LG"));
        Assert.Equal(new PageMerge.PageSource(PithAddress.ForUuid(Uuid), Uuid, ""), PageMerge.PageSource.From("", Uuid.ToUpperInvariant()));
        Assert.Equal(new PageMerge.PageSource("https://example.org/x", "", ""), PageMerge.PageSource.From(" https://example.org/x ", "not-a-uuid"));
    }

    [Fact]
    public void PlanHub_keeps_the_stored_hub_when_the_page_lists_citing_papers_only()
    {
        var citers = new HubPage { Title = "", DescribesHub = false, StatedCitingCount = 31 };

        var hub = PageMerge.PlanHub(Stored, citers, PageMerge.PageSource.From(PithAddress.ForUuid(Uuid) + "/citers.json"), Timestamp);

        Assert.Equal((Stored.Id, Stored.Title, Stored.Abstract, Stored.TierLabel, Stored.StatedRoleCounts, 31L, Timestamp),
            (hub.Id, hub.Title, hub.Abstract, hub.TierLabel, hub.StatedRoleCounts, hub.StatedCitingCount, hub.UpdatedAt));
        Assert.True(PageMerge.SameClassifierHubFields(Stored, hub));
        Assert.False(PageMerge.SameHubFields(Stored, hub));
    }

    [Fact]
    public void PlanHub_keeps_the_hubs_counts_and_work_details_when_the_page_is_a_filtered_text_view()
    {
        var view = new HubPage { Title = "Pythia", Abstract = "An abstract.", TierLabel = "hub Tool reference", StatedCitingCount = 3, StatedRoleCounts = [new StatedLabelCount("method", 3)] };

        var hub = PageMerge.PlanHub(Stored, view, PageMerge.PageSource.From(PithAddress.ForUuid(Uuid) + "?cat=cs.LG"), Timestamp);

        Assert.Equal((30L, Stored.StatedRoleCounts, "S. Biderman", 2023L, "cs.CL", "2304.01373"),
            (hub.StatedCitingCount, hub.StatedRoleCounts, hub.Authors, hub.Year, hub.Venue, hub.ArxivId));
        Assert.True(PageMerge.SameClassifierHubFields(Stored, hub));
    }

    [Fact]
    public void PlanHub_gives_a_new_hub_from_a_pith_address_its_canonical_address_and_uuid()
    {
        var hub = PageMerge.PlanHub(null, new HubPage { Title = "Pythia" }, PageMerge.PageSource.From($"http://www.pith.science/citations/{Uuid}.json"), Timestamp);

        Assert.Equal((StableIds.ForHub(PithAddress.ForUuid(Uuid), "Pythia"), PithAddress.ForUuid(Uuid), Uuid, Timestamp),
            (hub.Id, hub.SourceUrl, hub.PithId, hub.IngestedAt));
    }

    [Fact]
    public void PlanPapers_keeps_stored_positions_appends_new_papers_and_relabels_only_a_changed_context_when_the_view_is_filtered()
    {
        var labeler = new FixedVersions();
        var a = StoredPaper("A", position: 0, context: "We use [1].");
        var b = StoredPaper("B", position: 5, context: null);
        var existing = new Dictionary<string, PaperRow> { [a.Id] = a, [b.Id] = b };
        var page = new HubPage
        {
            Title = "Pythia",
            CitingPapers =
            [
                new PageCitingPaper { Title = "C", Summary = "Summary C." },
                new PageCitingPaper { Title = "B", Summary = "Summary B.", ContextText = "Unlike [1]." },
                new PageCitingPaper { Title = "A", Summary = "Summary A." },
            ],
        };

        var plan = PageMerge.PlanPapers(page, "hub_stored", existing, keepPositions: true, "https://pith.science/x", hubTextChanged: false, labeler);

        Assert.Equal([("C", 6L)], plan.Inserts.Select(p => (p.Title, p.Position)));
        Assert.Equal([("C", "Summary C."), ("B", "Unlike [1].")], plan.ToLabel.Select(p => (p.Title, p.ContextText ?? p.Summary)));
        Assert.Equal((1, 1), (plan.Updated, plan.Unchanged));
        // A keeps its stored position and the context the page did not give.
        Assert.DoesNotContain(plan.Writes, p => p.Title == "A");
    }

    [Fact]
    public void PlanPapers_relabels_a_paper_read_with_its_context_whose_labels_carry_the_summary_models_version_only()
    {
        var labeler = new FixedVersions();
        var withContext = StoredPaper("A", position: 0, context: "We use [1].");
        var summaryOnly = StoredPaper("B", position: 1, context: null);
        // Labels stored before they carried both versions, or by another citation-sentence model.
        withContext.RoleModelVersion = "role-v";
        var existing = new Dictionary<string, PaperRow> { [withContext.Id] = withContext, [summaryOnly.Id] = summaryOnly };
        var page = new HubPage
        {
            Title = "Pythia",
            CitingPapers =
            [
                new PageCitingPaper { Title = "A", Summary = "Summary A.", ContextText = "We use [1]." },
                new PageCitingPaper { Title = "B", Summary = "Summary B." },
            ],
        };

        var plan = PageMerge.PlanPapers(page, "hub_stored", existing, keepPositions: false, "https://pith.science/x", hubTextChanged: false, labeler);

        Assert.Equal(["A"], plan.ToLabel.Select(p => p.Title));
        Assert.Equal((0, 2), (plan.Updated, plan.Unchanged));
    }

    private static PaperRow StoredPaper(string title, long position, string? context) => new()
    {
        Id = StableIds.ForCitingPaper("hub_stored", title, "Summary " + title + "."),
        HubId = "hub_stored", Position = position, Title = title, NormalizedTitle = TextNormalizer.NormalizeTitle(title),
        Summary = "Summary " + title + ".", ContextText = context,
        RoleModelVersion = context is null ? "role-v" : "role-v+sentence", PolarityModelVersion = context is null ? "polarity-v" : "polarity-v+sentence",
    };

    private sealed class FixedVersions : ISummaryLabeler
    {
        public string RoleModelVersion => "role-v";

        public string PolarityModelVersion => "polarity-v";

        public string RoleWithContextVersion => "role-v+sentence";

        public string PolarityWithContextVersion => "polarity-v+sentence";

        public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("PlanPapers only reads the versions");
    }
}
