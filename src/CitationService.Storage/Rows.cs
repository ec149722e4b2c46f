using CitationService.Core.Classification;

namespace CitationService.Storage;

// Rows as both engines return them (integers → long, reals → double, text → string: the PostgreSQL
// schema uses bigint and double precision to match SQLite). Dapper maps the columns it reads by their aliases,
// which name these properties, so no global Dapper naming setting is needed; HubRowReader reads hubs by ordinal.

internal sealed class HubRow
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string NormalizedTitle { get; set; } = "";
    public string Abstract { get; set; } = "";
    public string TierLabel { get; set; } = "";
    public long? StatedCitingCount { get; set; }
    public string SourceUrl { get; set; } = "";
    public string ArxivId { get; set; } = "";
    public string Doi { get; set; } = "";
    public string StatedRoleCounts { get; set; } = "[]";
    public string StatedPolarityCounts { get; set; } = "[]";
    public string IngestedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public string PithId { get; set; } = "";
    public string Authors { get; set; } = "";
    public long? Year { get; set; }
    public string Venue { get; set; } = "";
    public long StoredCitingCount { get; set; }
}

internal sealed class HubViewRow
{
    public string Filter { get; set; } = "";
    public long? StatedCitingCount { get; set; }
    public string StatedRoleCounts { get; set; } = "[]";
    public string StatedPolarityCounts { get; set; } = "[]";
    public string UpdatedAt { get; set; } = "";
}

internal sealed class PaperRow
{
    // The paper's integer key, in storage order: its label rows are keyed by it (reserved before a new paper is written).
    public long PaperKey { get; set; }
    public string Id { get; set; } = "";
    public string HubId { get; set; } = "";
    public long Position { get; set; }
    public string Title { get; set; } = "";
    public string NormalizedTitle { get; set; } = "";
    public string? Summary { get; set; }
    public string ArxivId { get; set; } = "";
    public string PrimaryCategory { get; set; } = "";
    public string? SubmittedDate { get; set; }
    public string Verdict { get; set; } = "";
    public double? NoveltyScore { get; set; }
    public long? ReferenceCount { get; set; }
    public long Representative { get; set; }
    // The versions of the stored labels (read, to tell whether they are current; null when none).
    public string? RoleModelVersion { get; set; }
    public string? PolarityModelVersion { get; set; }
    public long LabelRevision { get; set; }
    public string? SubmittedAt { get; set; }
    public double? LinkConfidence { get; set; }
    public string? ContextText { get; set; }
    public long? ContextCount { get; set; }
    public string SourceRole { get; set; } = "";
    public string SourcePolarity { get; set; } = "";
    public string SourceLabelsFrom { get; set; } = "";

    // The labels computed for the paper in this save, written to citing_paper_labels with it (not a column).
    public PaperLabels? Labels { get; set; }
}

/// <summary>One task's label of one paper (a row of <c>citing_paper_labels</c>).</summary>
internal sealed class LabelRow
{
    public long PaperKey { get; set; }
    public string Task { get; set; } = "";
    public long Label { get; set; }
    public double Confidence { get; set; }
    public string Probabilities { get; set; } = "";
    public string Source { get; set; } = "";
    public string SourceVersion { get; set; } = "";
    public long Input { get; set; }
}

internal sealed class PaperToLabelRow
{
    public string Id { get; set; } = "";
    public long Revision { get; set; }
    public string Summary { get; set; } = "";
    public string? ContextText { get; set; }
    public string HubTitle { get; set; } = "";
    public string HubAbstract { get; set; } = "";
    public string HubTierLabel { get; set; } = "";
}

internal sealed class SourceLabelCountRow
{
    public string Task { get; set; } = "";
    public long Label { get; set; }
    public string Source { get; set; } = "";
    public long Count { get; set; }
}

internal sealed class LabelCountRow
{
    public string Task { get; set; } = "";
    public long Label { get; set; }
    public long High { get; set; }
    public long Count { get; set; }
}
