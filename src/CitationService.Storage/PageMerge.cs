using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using System.Text.Json;

namespace CitationService.Storage;

/// <summary>
/// The merge rules of an ingest, apart from SQL and transactions: which stored hub a page belongs to (its
/// <see cref="PageSource"/>), what the hub's fields become, and what the page does to the hub's papers
/// (insert, rewrite, keep; which to label). Pure functions of the stored rows and the parsed page.
/// </summary>
internal static class PageMerge
{
    /// <summary>Where a page came from: a Pith address reduced to its hub and filter, or any other address as given.</summary>
    internal sealed record PageSource(string Url, string PithId, string Filter)
    {
        public bool IsFiltered => Filter.Length > 0;

        // sourceId: the Pith work id the document itself gives (its JSON form); names the hub when the address does not.
        public static PageSource From(string? sourceUrl, string sourceId = "")
        {
            var url = (sourceUrl ?? "").Trim();
            return PithAddress.TryParse(url) is { } address ? new PageSource(address.CanonicalUrl, address.HubUuid, address.Filter)
                : PithAddress.TryParse(PithAddress.ForUuid(sourceId)) is { } work ? new PageSource(work.CanonicalUrl, work.HubUuid, "")
                : new PageSource(url, "", "");
        }
    }

    /// <summary>The hub's row after <paramref name="page"/>; <paramref name="stored"/> is null for a new hub.</summary>
    public static HubRow PlanHub(HubRow? stored, HubPage page, PageSource source, string timestamp)
    {
        var describesHub = page.DescribesHub;
        var normalizedTitle = TextNormalizer.NormalizeTitle(page.Title);
        var statedRoleCounts = JsonSerializer.Serialize(page.StatedRoleCounts);
        var statedPolarityCounts = JsonSerializer.Serialize(page.StatedPolarityCounts);
        // A filtered view's counts are the filter's: the hub keeps its own. A page that lists citing papers
        // only (citers.json) leaves the hub's title, abstract and tier as stored. A Pith hub's address is its
        // own. Identifiers and work details a page lacks keep their stored values.
        var pithId = source.PithId.Length > 0 ? source.PithId : stored?.PithId ?? "";
        return new HubRow
        {
            Id = stored?.Id ?? StableIds.ForHub(source.Url, page.Title),
            Title = describesHub && page.Title.Length > 0 ? page.Title : stored?.Title ?? "",
            NormalizedTitle = describesHub && page.Title.Length > 0 ? normalizedTitle : stored?.NormalizedTitle ?? "",
            Abstract = describesHub ? page.Abstract : stored?.Abstract ?? "",
            TierLabel = describesHub ? page.TierLabel : stored?.TierLabel ?? "",
            StatedCitingCount = source.IsFiltered ? stored?.StatedCitingCount : page.StatedCitingCount ?? stored?.StatedCitingCount,
            SourceUrl = pithId.Length > 0 ? PithAddress.ForUuid(pithId) : source.Url.Length > 0 ? source.Url : stored?.SourceUrl ?? "",
            ArxivId = page.ArxivId.Length > 0 ? page.ArxivId : stored?.ArxivId ?? "",
            Doi = page.Doi.Length > 0 ? page.Doi : stored?.Doi ?? "",
            StatedRoleCounts = source.IsFiltered || !describesHub ? stored?.StatedRoleCounts ?? "[]" : statedRoleCounts,
            StatedPolarityCounts = source.IsFiltered || !describesHub ? stored?.StatedPolarityCounts ?? "[]" : statedPolarityCounts,
            IngestedAt = stored?.IngestedAt ?? timestamp,
            UpdatedAt = timestamp,
            PithId = pithId,
            Authors = page.Authors.Length > 0 ? page.Authors : stored?.Authors ?? "",
            Year = page.Year ?? stored?.Year,
            Venue = page.Venue.Length > 0 ? page.Venue : stored?.Venue ?? "",
        };
    }

    /// <summary>What a page does to its hub's papers.</summary>
    /// <param name="Inserts">New papers.</param>
    /// <param name="Writes">Stored papers to rewrite: their page fields changed, or their labels are not current.</param>
    /// <param name="ToLabel">The new and rewritten papers with a summary whose labels are not current, in page order.</param>
    /// <param name="Updated">Stored papers whose page fields changed.</param>
    /// <param name="Unchanged">Stored papers whose page fields did not change.</param>
    internal sealed record PaperPlan(List<PaperRow> Inserts, List<PaperRow> Writes, List<PaperRow> ToLabel, int Updated, int Unchanged);

    /// <summary>The ids the page's citing papers have in the hub <paramref name="hubId"/>, in page order (a paper listed twice, twice).</summary>
    public static string[] PaperIds(HubPage page, string hubId) =>
        page.CitingPapers.Select(paper => StableIds.ForCitingPaper(hubId, paper.Title, paper.Summary)).ToArray();

    // paperIds: PaperIds(page, hubId), computed once for the store's look-up of the stored papers and for the plan.
    // existing: the hub's stored papers that the page lists (by id; others may be given too). lastPosition: the
    // greatest position stored for the hub, -1 when it has no paper. keepPositions: the page shows a subset of the
    // hub's papers (a filtered view), so stored papers keep their positions and new ones follow the hub's last;
    // otherwise the page's order is the hub's.
    public static PaperPlan PlanPapers(
        HubPage page, string[] paperIds, string hubId, Dictionary<string, PaperRow> existing, long lastPosition, bool keepPositions, string labelsFrom, bool hubTextChanged, ISummaryLabeler labeler)
    {
        var onPage = new Dictionary<string, PaperRow>(StringComparer.Ordinal);
        var ordered = new List<PaperRow>(page.CitingPapers.Count);
        // Read only when keepPositions: the next new paper's position.
        var nextPosition = lastPosition + 1;
        for (var index = 0; index < page.CitingPapers.Count; index++)
        {
            var row = FromPage(page.CitingPapers[index], paperIds[index], hubId, position: 0, labelsFrom);
            if (onPage.TryGetValue(row.Id, out var first))
            {
                first.Representative |= row.Representative;
                continue;
            }
            var stored = existing.GetValueOrDefault(row.Id);
            row.Position = keepPositions && stored is not null ? stored.Position : keepPositions ? nextPosition++ : index;
            if (stored is not null)
            {
                KeepMetadataThePageLacks(stored, row);
            }
            onPage.Add(row.Id, row);
            ordered.Add(row);
        }

        List<PaperRow> inserts = [], writes = [], toLabel = [];
        var updated = 0;
        foreach (var row in ordered)
        {
            if (!existing.TryGetValue(row.Id, out var old))
            {
                inserts.Add(row);
                if (row.Summary is not null)
                {
                    toLabel.Add(row);
                }
                continue;
            }

            var pageFieldsChanged = !SamePageFields(old, row);
            updated += pageFieldsChanged ? 1 : 0;
            // The context is read with the summary: a new or changed one makes the labels stale too.
            var labelsCurrent = !hubTextChanged
                && old.Summary == row.Summary
                && old.ContextText == row.ContextText
                && (old.RoleModelVersion, old.PolarityModelVersion) == CurrentVersions(labeler, row);
            if (row.Summary is not null && !labelsCurrent)
            {
                toLabel.Add(row);
                writes.Add(row);
            }
            else if (pageFieldsChanged)
            {
                // Labels kept as they are, or none for a paper whose summary is gone.
                writes.Add(row);
            }
        }
        return new PaperPlan(inserts, writes, toLabel, updated, ordered.Count - inserts.Count - updated);
    }

    // The versions the labels of row would carry if computed now.
    private static (string Role, string Polarity) CurrentVersions(ISummaryLabeler labeler, PaperRow row) =>
        new PaperText(row.Summary ?? "", row.ContextText).Source == LabelSource.Summary
            ? (labeler.RoleModelVersion, labeler.PolarityModelVersion)
            : (labeler.RoleWithContextVersion, labeler.PolarityWithContextVersion);

    // Renderings differ in what they give of a paper (the JSON form its arXiv id, the compact page nothing but
    // title and summary): a field the page lacks keeps its stored value rather than being erased.
    private static void KeepMetadataThePageLacks(PaperRow stored, PaperRow row)
    {
        row.ArxivId = row.ArxivId.Length > 0 ? row.ArxivId : stored.ArxivId;
        row.PrimaryCategory = row.PrimaryCategory.Length > 0 ? row.PrimaryCategory : stored.PrimaryCategory;
        row.SubmittedDate ??= stored.SubmittedDate;
        row.Verdict = row.Verdict.Length > 0 ? row.Verdict : stored.Verdict;
        row.NoveltyScore ??= stored.NoveltyScore;
        row.ReferenceCount ??= stored.ReferenceCount;
        row.SubmittedAt ??= stored.SubmittedAt;
        row.LinkConfidence ??= stored.LinkConfidence;
        row.ContextText ??= stored.ContextText;
        row.ContextCount ??= stored.ContextCount;
        if (row.SourceLabelsFrom.Length == 0)
        {
            (row.SourceRole, row.SourcePolarity, row.SourceLabelsFrom) = (stored.SourceRole, stored.SourcePolarity, stored.SourceLabelsFrom);
        }
    }

    // labelsFrom: the address of the page, recorded with the source's own labels of a paper.
    private static PaperRow FromPage(PageCitingPaper paper, string id, string hubId, int position, string labelsFrom) => new()
    {
        Id = id,
        HubId = hubId,
        Position = position,
        Title = paper.Title,
        NormalizedTitle = TextNormalizer.NormalizeTitle(paper.Title),
        Summary = paper.Summary,
        ArxivId = paper.ArxivId,
        PrimaryCategory = paper.PrimaryCategory,
        SubmittedDate = SqlCitationStore.FormatDate(paper.SubmittedDate),
        Verdict = paper.Verdict,
        NoveltyScore = paper.NoveltyScore,
        ReferenceCount = paper.ReferenceCount,
        Representative = paper.Representative ? 1 : 0,
        SubmittedAt = paper.SubmittedAt is { } submitted ? SqlCitationStore.FormatTimestamp(submitted) : null,
        LinkConfidence = paper.LinkConfidence,
        ContextText = paper.ContextText,
        ContextCount = paper.ContextCount,
        SourceRole = paper.SourceRole,
        SourcePolarity = paper.SourcePolarity,
        SourceLabelsFrom = paper.SourceRole.Length > 0 || paper.SourcePolarity.Length > 0 ? labelsFrom : "",
    };

    public static bool SameHubFields(HubRow a, HubRow b) =>
        a.Title == b.Title
        && a.NormalizedTitle == b.NormalizedTitle
        && a.Abstract == b.Abstract
        && a.TierLabel == b.TierLabel
        && a.StatedCitingCount == b.StatedCitingCount
        && a.SourceUrl == b.SourceUrl
        && a.ArxivId == b.ArxivId
        && a.Doi == b.Doi
        && a.StatedRoleCounts == b.StatedRoleCounts
        && a.StatedPolarityCounts == b.StatedPolarityCounts
        && a.PithId == b.PithId
        && a.Authors == b.Authors
        && a.Year == b.Year
        && a.Venue == b.Venue;

    // What the summary models read of a hub (HubText): a change makes its papers' classifications stale.
    public static bool SameClassifierHubFields(HubRow a, HubRow b) =>
        a.Title == b.Title
        && a.Abstract == b.Abstract
        && a.TierLabel == b.TierLabel;

    private static bool SamePageFields(PaperRow a, PaperRow b) =>
        a.Position == b.Position
        && a.Title == b.Title
        && a.NormalizedTitle == b.NormalizedTitle
        && a.Summary == b.Summary
        && a.ArxivId == b.ArxivId
        && a.PrimaryCategory == b.PrimaryCategory
        && a.SubmittedDate == b.SubmittedDate
        && a.Verdict == b.Verdict
        && a.NoveltyScore == b.NoveltyScore
        && a.ReferenceCount == b.ReferenceCount
        && a.Representative == b.Representative
        && a.SubmittedAt == b.SubmittedAt
        && a.LinkConfidence == b.LinkConfidence
        && a.ContextText == b.ContextText
        && a.ContextCount == b.ContextCount
        && a.SourceRole == b.SourceRole
        && a.SourcePolarity == b.SourcePolarity
        && a.SourceLabelsFrom == b.SourceLabelsFrom;
}
