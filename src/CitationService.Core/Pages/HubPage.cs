namespace CitationService.Core.Pages;

/// <summary>What the parser reads from one hub page.</summary>
public sealed record HubPage
{
    /// <summary>The hub's title as printed (hyphenation artefacts repaired, whitespace collapsed).</summary>
    public required string Title { get; init; }
    /// <summary>Empty when the page has no abstract section.</summary>
    public string Abstract { get; init; } = "";
    /// <summary>The tier label line as printed ("hub", "super hub Canonical reference", ...); empty when absent.</summary>
    public string TierLabel { get; init; } = "";
    /// <summary>The count the page states ("27 Pith papers cite this work."); null when none.</summary>
    public int? StatedCitingCount { get; init; }
    /// <summary>Identifiers the title gives (raw reference strings); empty when none.</summary>
    public string ArxivId { get; init; } = "";
    public string Doi { get; init; } = "";
    public IReadOnlyList<Model.StatedLabelCount> StatedRoleCounts { get; init; } = [];
    public IReadOnlyList<Model.StatedLabelCount> StatedPolarityCounts { get; init; } = [];
    /// <summary>Citing papers in page order: explorer order, with representative-only papers after them.</summary>
    public IReadOnlyList<PageCitingPaper> CitingPapers { get; init; } = [];
    /// <summary>What could not be read, e.g. an entry cut off mid-sentence.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One citing paper as a hub page shows it.</summary>
public sealed record PageCitingPaper
{
    /// <summary>Empty only when the page gives the paper's summary without a title anywhere.</summary>
    public required string Title { get; init; }
    public string? Summary { get; init; }
    public string ArxivId { get; init; } = "";
    public string PrimaryCategory { get; init; } = "";
    public DateOnly? SubmittedDate { get; init; }
    public string Verdict { get; init; } = "";
    public float? NoveltyScore { get; init; }
    public int? ReferenceCount { get; init; }
    /// <summary>True when listed among the representative citing papers.</summary>
    public bool Representative { get; init; }
}

/// <summary>The text is not a hub page; the message says what is missing.</summary>
public sealed class HubPageFormatException(string message) : Exception(message);
