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
        Doi = "10.1/pythia",
        StatedRoleCounts = """[{"Label":"method","Count":20}]""", StatedPolarityCounts = """[{"Label":"positive","Count":4}]""", Authors = "S. Biderman", Year = 2023, Venue = "cs.CL",
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

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", existing, lastPosition: 5, keepPositions: true, "https://pith.science/x", hubTextChanged: false, labeler);

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

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", existing, lastPosition: 1, keepPositions: false, "https://pith.science/x", hubTextChanged: false, labeler);

        Assert.Equal(["A"], plan.ToLabel.Select(p => p.Title));
        Assert.Equal((0, 2), (plan.Updated, plan.Unchanged));
    }

    [Fact]
    public void PageSource_reads_a_missing_address_as_empty_and_an_unfiltered_one_as_not_filtered()
    {
        Assert.Equal(new PageMerge.PageSource("", "", ""), PageMerge.PageSource.From(null));
        Assert.False(PageMerge.PageSource.From(PithAddress.ForUuid(Uuid)).IsFiltered);
        Assert.True(PageMerge.PageSource.From(PithAddress.ForUuid(Uuid) + "?cat=cs.LG").IsFiltered);
    }

    [Fact]
    public void PlanHub_gives_a_new_hub_from_an_empty_page_at_no_address_empty_fields()
    {
        var hub = PageMerge.PlanHub(null, new HubPage { Title = "" }, PageMerge.PageSource.From(null), Timestamp);

        Assert.Equal(Expected(StableIds.ForHub("", ""), "", "", "", "", null, "", "", "", "[]", "[]", Timestamp, Timestamp, "", "", null, ""), Fields(hub));
    }

    [Fact]
    public void PlanHub_gives_a_new_hub_from_a_page_listing_citing_papers_only_no_title_abstract_or_counts()
    {
        var citers = new HubPage { Title = "", DescribesHub = false, Abstract = "Not the hub's.", TierLabel = "hub", StatedRoleCounts = [new StatedLabelCount("method", 3)] };

        var hub = PageMerge.PlanHub(null, citers, PageMerge.PageSource.From("https://example.org/works/1"), Timestamp);

        Assert.Equal(
            Expected(StableIds.ForHub("https://example.org/works/1", ""), "", "", "", "", null, "https://example.org/works/1", "", "", "[]", "[]", Timestamp, Timestamp, "", "", null, ""),
            Fields(hub));
    }

    [Fact]
    public void PlanHub_takes_every_field_a_page_describing_the_hub_gives()
    {
        var page = new HubPage
        {
            Title = "Pythia: A Suite", Abstract = "A new abstract.", TierLabel = "super hub", StatedCitingCount = 31, ArxivId = "2304.01374", Doi = "10.1/x",
            StatedRoleCounts = [new StatedLabelCount("method", 21)], StatedPolarityCounts = [new StatedLabelCount("positive", 2)],
            Authors = "S. Biderman, H. Schoelkopf", Year = 2024, Venue = "ICML",
        };

        var hub = PageMerge.PlanHub(Stored, page, PageMerge.PageSource.From("https://example.org/pythia"), Timestamp);

        Assert.Equal(
            Expected(Stored.Id, "Pythia: A Suite", TextNormalizer.NormalizeTitle("Pythia: A Suite"), "A new abstract.", "super hub", 31, PithAddress.ForUuid(Uuid), "2304.01374", "10.1/x",
                """[{"Label":"method","Count":21}]""", """[{"Label":"positive","Count":2}]""", Stored.IngestedAt, Timestamp, Uuid, "S. Biderman, H. Schoelkopf", 2024, "ICML"),
            Fields(hub));
        Assert.False(PageMerge.SameClassifierHubFields(Stored, hub));
    }

    [Fact]
    public void PlanHub_keeps_the_stored_title_identifiers_and_work_details_a_describing_page_lacks()
    {
        // A JSON work object cut off before its title: the page describes the hub but gives none of these.
        var page = new HubPage { Title = "" };

        var hub = PageMerge.PlanHub(Stored, page, PageMerge.PageSource.From(null), Timestamp);

        // The abstract and tier label are the page's (none); the hub's own counts are the page's too.
        Assert.Equal(
            Expected(Stored.Id, "Pythia", "pythia", "", "", 30, PithAddress.ForUuid(Uuid), "2304.01373", "10.1/pythia", "[]", "[]", Stored.IngestedAt, Timestamp, Uuid, "S. Biderman", 2023, "cs.CL"),
            Fields(hub));
    }

    [Fact]
    public void PlanHub_keeps_the_stored_address_of_a_hub_without_a_pith_id_when_the_page_has_none()
    {
        var stored = new HubRow { Id = "hub_other", Title = "Other", NormalizedTitle = "other", SourceUrl = "https://example.org/other", StatedRoleCounts = "[]" };

        var fromNowhere = PageMerge.PlanHub(stored, new HubPage { Title = "Other" }, PageMerge.PageSource.From(null), Timestamp);
        var fromElsewhere = PageMerge.PlanHub(stored, new HubPage { Title = "Other" }, PageMerge.PageSource.From("https://example.org/other-2"), Timestamp);

        Assert.Equal(("https://example.org/other", ""), (fromNowhere.SourceUrl, fromNowhere.PithId));
        Assert.Equal(("https://example.org/other-2", ""), (fromElsewhere.SourceUrl, fromElsewhere.PithId));
    }

    [Fact]
    public void PlanHub_keeps_every_stored_hub_field_a_page_listing_citing_papers_only_cannot_give()
    {
        var citers = new HubPage { Title = "", DescribesHub = false, StatedRoleCounts = [new StatedLabelCount("method", 3)], StatedPolarityCounts = [new StatedLabelCount("positive", 1)] };

        var hub = PageMerge.PlanHub(Stored, citers, PageMerge.PageSource.From(PithAddress.ForUuid(Uuid) + "/citers.json"), Timestamp);

        Assert.Equal(
            Expected(Stored.Id, "Pythia", "pythia", "An abstract.", "hub Tool reference", 30, PithAddress.ForUuid(Uuid), "2304.01373", "10.1/pythia",
                Stored.StatedRoleCounts, Stored.StatedPolarityCounts, Stored.IngestedAt, Timestamp, Uuid, "S. Biderman", 2023, "cs.CL"),
            Fields(hub));
    }

    [Fact]
    public void PlanHub_keeps_the_hubs_own_counts_when_a_filtered_view_describes_it()
    {
        var view = new HubPage
        {
            Title = "Pythia", Abstract = "An abstract.", TierLabel = "hub Tool reference", StatedCitingCount = 3,
            StatedRoleCounts = [new StatedLabelCount("method", 3)], StatedPolarityCounts = [new StatedLabelCount("positive", 1)],
        };

        var hub = PageMerge.PlanHub(Stored, view, PageMerge.PageSource.From(PithAddress.ForUuid(Uuid) + "?cat=cs.LG"), Timestamp);

        Assert.Equal(
            Expected(Stored.Id, "Pythia", "pythia", "An abstract.", "hub Tool reference", 30, PithAddress.ForUuid(Uuid), "2304.01373", "10.1/pythia",
                Stored.StatedRoleCounts, Stored.StatedPolarityCounts, Stored.IngestedAt, Timestamp, Uuid, "S. Biderman", 2023, "cs.CL"),
            Fields(hub));
        Assert.True(PageMerge.SameHubFields(Stored, hub));
    }

    [Theory]
    [InlineData(nameof(HubRow.Title), true)]
    [InlineData(nameof(HubRow.NormalizedTitle), false)]
    [InlineData(nameof(HubRow.Abstract), true)]
    [InlineData(nameof(HubRow.TierLabel), true)]
    [InlineData(nameof(HubRow.StatedCitingCount), false)]
    [InlineData(nameof(HubRow.SourceUrl), false)]
    [InlineData(nameof(HubRow.ArxivId), false)]
    [InlineData(nameof(HubRow.Doi), false)]
    [InlineData(nameof(HubRow.StatedRoleCounts), false)]
    [InlineData(nameof(HubRow.StatedPolarityCounts), false)]
    [InlineData(nameof(HubRow.PithId), false)]
    [InlineData(nameof(HubRow.Authors), false)]
    [InlineData(nameof(HubRow.Year), false)]
    [InlineData(nameof(HubRow.Venue), false)]
    public void SameHubFields_is_false_when_one_field_differs_and_SameClassifierHubFields_when_it_is_one_the_models_read(string field, bool classifierField)
    {
        var changed = Copy(Stored);
        switch (field)
        {
            case nameof(HubRow.Title): changed.Title = "Pythia 2"; break;
            case nameof(HubRow.NormalizedTitle): changed.NormalizedTitle = "pythia 2"; break;
            case nameof(HubRow.Abstract): changed.Abstract = "Another abstract."; break;
            case nameof(HubRow.TierLabel): changed.TierLabel = "super hub"; break;
            case nameof(HubRow.StatedCitingCount): changed.StatedCitingCount = 31; break;
            case nameof(HubRow.SourceUrl): changed.SourceUrl = "https://example.org/pythia"; break;
            case nameof(HubRow.ArxivId): changed.ArxivId = "2304.01374"; break;
            case nameof(HubRow.Doi): changed.Doi = "10.1/x"; break;
            case nameof(HubRow.StatedRoleCounts): changed.StatedRoleCounts = "[]"; break;
            case nameof(HubRow.StatedPolarityCounts): changed.StatedPolarityCounts = """[{"Label":"positive","Count":1}]"""; break;
            case nameof(HubRow.PithId): changed.PithId = ""; break;
            case nameof(HubRow.Authors): changed.Authors = "H. Schoelkopf"; break;
            case nameof(HubRow.Year): changed.Year = 2024; break;
            case nameof(HubRow.Venue): changed.Venue = "ICML"; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }

        Assert.False(PageMerge.SameHubFields(Stored, changed));
        Assert.Equal(!classifierField, PageMerge.SameClassifierHubFields(Stored, changed));
    }

    [Fact]
    public void SameHubFields_is_true_for_a_copy_that_differs_only_in_its_id_timestamps_and_paper_count()
    {
        var copy = Copy(Stored);
        (copy.Id, copy.IngestedAt, copy.UpdatedAt, copy.StoredCitingCount) = ("hub_other", Timestamp, Timestamp, 12);

        Assert.True(PageMerge.SameHubFields(Stored, copy));
        Assert.True(PageMerge.SameClassifierHubFields(Stored, copy));
    }

    private static HubRow Copy(HubRow row) => new()
    {
        Id = row.Id, Title = row.Title, NormalizedTitle = row.NormalizedTitle, Abstract = row.Abstract, TierLabel = row.TierLabel,
        StatedCitingCount = row.StatedCitingCount, SourceUrl = row.SourceUrl, ArxivId = row.ArxivId, Doi = row.Doi,
        StatedRoleCounts = row.StatedRoleCounts, StatedPolarityCounts = row.StatedPolarityCounts, IngestedAt = row.IngestedAt,
        UpdatedAt = row.UpdatedAt, PithId = row.PithId, Authors = row.Authors, Year = row.Year, Venue = row.Venue, StoredCitingCount = row.StoredCitingCount,
    };

    private static object[] Expected(
        string id, string title, string normalizedTitle, string @abstract, string tierLabel, long? statedCitingCount, string sourceUrl, string arxivId, string doi,
        string statedRoleCounts, string statedPolarityCounts, string ingestedAt, string updatedAt, string pithId, string authors, long? year, string venue) =>
        [id, title, normalizedTitle, @abstract, tierLabel, statedCitingCount!, sourceUrl, arxivId, doi, statedRoleCounts, statedPolarityCounts, ingestedAt, updatedAt, pithId, authors, year!, venue];

    private static object[] Fields(HubRow hub) =>
        [hub.Id, hub.Title, hub.NormalizedTitle, hub.Abstract, hub.TierLabel, hub.StatedCitingCount!, hub.SourceUrl, hub.ArxivId, hub.Doi,
            hub.StatedRoleCounts, hub.StatedPolarityCounts, hub.IngestedAt, hub.UpdatedAt, hub.PithId, hub.Authors, hub.Year!, hub.Venue];

    // A page that gives every field of its one citing paper (the JSON form), and the row PlanPapers makes of it.
    private static readonly HubPage FullPaperPage = new()
    {
        Title = "Pythia",
        CitingPapers =
        [
            new PageCitingPaper
            {
                Title = "Paper A", Summary = "Summary A.", ArxivId = "2401.00001", PrimaryCategory = "cs.CL",
                SubmittedDate = new DateOnly(2024, 1, 2), SubmittedAt = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
                Verdict = "UNVERDICTED", NoveltyScore = 0.5f, ReferenceCount = 42, Representative = true, LinkConfidence = 0.75f,
                ContextText = "We use [1].", ContextCount = 3, SourceRole = "method", SourcePolarity = "positive",
            },
        ],
    };

    private const string LabelsFrom = "https://pith.science/x";

    // The row a first ingest of FullPaperPage stores, its labels computed now (read with the context).
    private static PaperRow StoredFullPaper()
    {
        var row = PageMerge.PlanPapers(FullPaperPage, PageMerge.PaperIds(FullPaperPage, "hub_stored"), "hub_stored", [], -1, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions()).Inserts.Single();
        (row.RoleModelVersion, row.PolarityModelVersion) = ("role-v+sentence", "polarity-v+sentence");
        return row;
    }

    [Fact]
    public void PlanPapers_makes_a_new_papers_row_of_every_field_the_page_gives()
    {
        var plan = PageMerge.PlanPapers(FullPaperPage, PageMerge.PaperIds(FullPaperPage, "hub_stored"), "hub_stored", [], -1, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        var row = Assert.Single(plan.Inserts);
        Assert.Equal(
            (StableIds.ForCitingPaper("hub_stored", "Paper A", "Summary A."), "hub_stored", 0L, "Paper A", "paper a", "Summary A.", "2401.00001", "cs.CL",
                "2024-01-02", "UNVERDICTED", (double)0.5f, 42L, 1L, "2024-01-02T01:04:05.0000000Z", (double)0.75f, "We use [1].", 3L, "method", "positive", LabelsFrom),
            (row.Id, row.HubId, row.Position, row.Title, row.NormalizedTitle, row.Summary, row.ArxivId, row.PrimaryCategory,
                row.SubmittedDate, row.Verdict, row.NoveltyScore, row.ReferenceCount, row.Representative, row.SubmittedAt, row.LinkConfidence, row.ContextText, row.ContextCount, row.SourceRole, row.SourcePolarity, row.SourceLabelsFrom));
        Assert.Equal([row], plan.ToLabel);
        Assert.Empty(plan.Writes);
        Assert.Equal((0, 0), (plan.Updated, plan.Unchanged));
    }

    [Theory]
    [InlineData("method", "", "https://pith.science/x")]
    [InlineData("", "negative", "https://pith.science/x")]
    [InlineData("", "", "")]
    public void PlanPapers_records_the_page_address_with_a_new_papers_source_labels_only_when_it_has_one(string role, string polarity, string expected)
    {
        var page = new HubPage { Title = "Pythia", CitingPapers = [new PageCitingPaper { Title = "Paper A", SourceRole = role, SourcePolarity = polarity }] };

        var row = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", [], -1, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions()).Inserts.Single();

        Assert.Equal((role, polarity, expected, 0L, (string?)null, (string?)null), (row.SourceRole, row.SourcePolarity, row.SourceLabelsFrom, row.Representative, row.SubmittedDate, row.SubmittedAt));
    }

    [Fact]
    public void PlanPapers_changes_nothing_when_the_page_repeats_a_stored_paper_whose_labels_are_current()
    {
        var stored = StoredFullPaper();

        var plan = PageMerge.PlanPapers(FullPaperPage, PageMerge.PaperIds(FullPaperPage, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, stored.Position, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal((0, 0, 0, 0, 1), (plan.Inserts.Count, plan.Writes.Count, plan.ToLabel.Count, plan.Updated, plan.Unchanged));
    }

    [Fact]
    public void PlanPapers_relabels_a_stored_paper_when_the_hubs_text_changed()
    {
        var stored = StoredFullPaper();

        var plan = PageMerge.PlanPapers(FullPaperPage, PageMerge.PaperIds(FullPaperPage, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, stored.Position, keepPositions: false, LabelsFrom, hubTextChanged: true, new FixedVersions());

        Assert.Equal(["Paper A"], plan.ToLabel.Select(p => p.Title));
        Assert.Equal(["Paper A"], plan.Writes.Select(p => p.Title));
        Assert.Equal((0, 1), (plan.Updated, plan.Unchanged));
    }

    // Each field SamePageFields compares, and the two label versions: the stored row differs from the page in
    // that one; the page's value is written, and the labels are recomputed when a text they read changed.
    [Theory]
    [InlineData(nameof(PaperRow.Position), true, false)]
    [InlineData(nameof(PaperRow.Title), true, false)]
    [InlineData(nameof(PaperRow.NormalizedTitle), true, false)]
    [InlineData(nameof(PaperRow.Summary), true, true)]
    [InlineData(nameof(PaperRow.ArxivId), true, false)]
    [InlineData(nameof(PaperRow.PrimaryCategory), true, false)]
    [InlineData(nameof(PaperRow.SubmittedDate), true, false)]
    [InlineData(nameof(PaperRow.Verdict), true, false)]
    [InlineData(nameof(PaperRow.NoveltyScore), true, false)]
    [InlineData(nameof(PaperRow.ReferenceCount), true, false)]
    [InlineData(nameof(PaperRow.Representative), true, false)]
    [InlineData(nameof(PaperRow.SubmittedAt), true, false)]
    [InlineData(nameof(PaperRow.LinkConfidence), true, false)]
    [InlineData(nameof(PaperRow.ContextText), true, true)]
    [InlineData(nameof(PaperRow.ContextCount), true, false)]
    [InlineData(nameof(PaperRow.SourceRole), true, false)]
    [InlineData(nameof(PaperRow.SourcePolarity), true, false)]
    [InlineData(nameof(PaperRow.SourceLabelsFrom), true, false)]
    [InlineData(nameof(PaperRow.RoleModelVersion), false, true)]
    [InlineData(nameof(PaperRow.PolarityModelVersion), false, true)]
    public void PlanPapers_rewrites_a_stored_paper_that_differs_from_the_page_in_one_field(string field, bool pageFieldChanged, bool relabel)
    {
        var stored = StoredFullPaper();
        switch (field)
        {
            case nameof(PaperRow.Position): stored.Position = 3; break;
            case nameof(PaperRow.Title): stored.Title = "Paper  A"; break;
            case nameof(PaperRow.NormalizedTitle): stored.NormalizedTitle = "paper a (old)"; break;
            case nameof(PaperRow.Summary): stored.Summary = "An older summary."; break;
            case nameof(PaperRow.ArxivId): stored.ArxivId = "2301.00001"; break;
            case nameof(PaperRow.PrimaryCategory): stored.PrimaryCategory = "cs.LG"; break;
            case nameof(PaperRow.SubmittedDate): stored.SubmittedDate = "2023-01-02"; break;
            case nameof(PaperRow.Verdict): stored.Verdict = "unverdicted"; break;
            case nameof(PaperRow.NoveltyScore): stored.NoveltyScore = 0.25; break;
            case nameof(PaperRow.ReferenceCount): stored.ReferenceCount = 41; break;
            case nameof(PaperRow.Representative): stored.Representative = 0; break;
            case nameof(PaperRow.SubmittedAt): stored.SubmittedAt = "2023-01-02T01:04:05.0000000Z"; break;
            case nameof(PaperRow.LinkConfidence): stored.LinkConfidence = 0.5; break;
            case nameof(PaperRow.ContextText): stored.ContextText = "Unlike [1]."; break;
            case nameof(PaperRow.ContextCount): stored.ContextCount = 2; break;
            case nameof(PaperRow.SourceRole): stored.SourceRole = "background"; break;
            case nameof(PaperRow.SourcePolarity): stored.SourcePolarity = "neutral"; break;
            case nameof(PaperRow.SourceLabelsFrom): stored.SourceLabelsFrom = "https://pith.science/old"; break;
            case nameof(PaperRow.RoleModelVersion): stored.RoleModelVersion = "role-v0+sentence"; break;
            case nameof(PaperRow.PolarityModelVersion): stored.PolarityModelVersion = "polarity-v0+sentence"; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }

        var plan = PageMerge.PlanPapers(FullPaperPage, PageMerge.PaperIds(FullPaperPage, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, stored.Position, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal((pageFieldChanged ? 1 : 0, pageFieldChanged ? 0 : 1), (plan.Updated, plan.Unchanged));
        Assert.Equal(relabel ? ["Paper A"] : [], plan.ToLabel.Select(p => p.Title));
        var written = Assert.Single(plan.Writes);
        Assert.Empty(plan.Inserts);
        // What is written is the page's paper, whatever the stored row held.
        Assert.Equal(PageFields(StoredFullPaper()), PageFields(written));
    }

    [Fact]
    public void PlanPapers_keeps_the_stored_metadata_and_source_labels_of_a_paper_the_page_gives_by_title_and_summary_only()
    {
        var stored = StoredFullPaper();
        var page = new HubPage { Title = "Pythia", CitingPapers = [new PageCitingPaper { Title = "Paper A", Summary = "Summary A.", Representative = true }] };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, stored.Position, keepPositions: false, LabelsFrom, hubTextChanged: true, new FixedVersions());

        var written = Assert.Single(plan.Writes);
        Assert.Equal(PageFields(stored), PageFields(written));
        Assert.Equal((0, 1), (plan.Updated, plan.Unchanged));
    }

    [Fact]
    public void PlanPapers_rewrites_without_relabelling_a_stored_paper_whose_summary_the_page_no_longer_gives()
    {
        var stored = StoredFullPaper();
        var page = new HubPage { Title = "Pythia", CitingPapers = [new PageCitingPaper { Title = "Paper A", Representative = true }] };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, stored.Position, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal((null, "We use [1]."), (Assert.Single(plan.Writes).Summary, plan.Writes[0].ContextText));
        Assert.Empty(plan.ToLabel);
        Assert.Equal((1, 0), (plan.Updated, plan.Unchanged));
    }

    [Fact]
    public void PlanPapers_lists_a_paper_the_page_repeats_once_at_its_first_place_representative_if_either_listing_is()
    {
        var page = new HubPage
        {
            Title = "Pythia",
            CitingPapers =
            [
                new PageCitingPaper { Title = "Paper A", Summary = "Summary A." },
                new PageCitingPaper { Title = "Paper B" },
                new PageCitingPaper { Title = "Paper  A", Summary = "Summary A.", Representative = true },
                new PageCitingPaper { Title = "Paper C", Summary = "Summary C.", Representative = true },
                new PageCitingPaper { Title = "Paper C", Summary = "Summary C.", Representative = true },
            ],
        };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", [], -1, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal([("Paper A", 0L, 1L), ("Paper B", 1L, 0L), ("Paper C", 3L, 1L)], plan.Inserts.Select(p => (p.Title, p.Position, p.Representative)));
        // A paper without a summary has nothing to label.
        Assert.Equal(["Paper A", "Paper C"], plan.ToLabel.Select(p => p.Title));
    }

    [Fact]
    public void PlanPapers_numbers_the_papers_of_a_filtered_view_from_zero_when_the_hub_has_none_stored()
    {
        var page = new HubPage { Title = "Pythia", CitingPapers = [new PageCitingPaper { Title = "Paper A" }, new PageCitingPaper { Title = "Paper B" }] };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", [], -1, keepPositions: true, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal([("Paper A", 0L), ("Paper B", 1L)], plan.Inserts.Select(p => (p.Title, p.Position)));
    }

    [Fact]
    public void PlanPapers_appends_several_new_papers_of_a_filtered_view_after_the_hubs_last_in_page_order()
    {
        // The hub's last paper (position 12) is not on this page: the store reads only the page's stored papers.
        var stored = StoredPaper("A", position: 7, context: null);
        var page = new HubPage
        {
            Title = "Pythia",
            CitingPapers = [new PageCitingPaper { Title = "C" }, new PageCitingPaper { Title = "A", Summary = "Summary A." }, new PageCitingPaper { Title = "B" }],
        };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", new() { [stored.Id] = stored }, lastPosition: 12, keepPositions: true, LabelsFrom, hubTextChanged: false, new FixedVersions());

        Assert.Equal([("C", 13L), ("B", 14L)], plan.Inserts.Select(p => (p.Title, p.Position)));
        Assert.Equal((0, 1), (plan.Updated, plan.Unchanged));
    }

    [Fact]
    public void PaperIds_gives_each_listed_paper_the_id_its_row_gets_in_page_order()
    {
        var page = new HubPage
        {
            Title = "Pythia",
            CitingPapers = [new PageCitingPaper { Title = "C" }, new PageCitingPaper { Title = "A", Summary = "Summary A." }, new PageCitingPaper { Title = "C" }],
        };

        var plan = PageMerge.PlanPapers(page, PageMerge.PaperIds(page, "hub_stored"), "hub_stored", [], -1, keepPositions: false, LabelsFrom, hubTextChanged: false, new FixedVersions());

        var ids = PageMerge.PaperIds(page, "hub_stored");
        Assert.Equal([plan.Inserts[0].Id, plan.Inserts[1].Id, plan.Inserts[0].Id], ids);
        Assert.NotEqual(ids[0], PageMerge.PaperIds(page, "hub_other").First());
    }

    // The fields SamePageFields compares, by name.
    private static Dictionary<string, object?> PageFields(PaperRow row) => new()
    {
        [nameof(row.Id)] = row.Id, [nameof(row.HubId)] = row.HubId, [nameof(row.Position)] = row.Position, [nameof(row.Title)] = row.Title,
        [nameof(row.NormalizedTitle)] = row.NormalizedTitle, [nameof(row.Summary)] = row.Summary, [nameof(row.ArxivId)] = row.ArxivId,
        [nameof(row.PrimaryCategory)] = row.PrimaryCategory, [nameof(row.SubmittedDate)] = row.SubmittedDate, [nameof(row.Verdict)] = row.Verdict,
        [nameof(row.NoveltyScore)] = row.NoveltyScore, [nameof(row.ReferenceCount)] = row.ReferenceCount, [nameof(row.Representative)] = row.Representative,
        [nameof(row.SubmittedAt)] = row.SubmittedAt, [nameof(row.LinkConfidence)] = row.LinkConfidence, [nameof(row.ContextText)] = row.ContextText,
        [nameof(row.ContextCount)] = row.ContextCount, [nameof(row.SourceRole)] = row.SourceRole, [nameof(row.SourcePolarity)] = row.SourcePolarity,
        [nameof(row.SourceLabelsFrom)] = row.SourceLabelsFrom,
    };

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
