namespace CitationService.Core.Pages;

/// <summary>What the parser reads from one hub page (a text rendering or one of the two JSON forms).</summary>
public sealed record HubPage
{
    /// <summary>
    /// The hub's title as printed (hyphenation artefacts repaired, whitespace collapsed). Empty when
    /// <see cref="DescribesHub"/> is false, and when a JSON work object is cut off before its title.
    /// </summary>
    public required string Title { get; init; }
    /// <summary>
    /// False for a page that lists citing papers but says nothing of the hub (Pith's <c>citers.json</c>):
    /// its title, abstract and tier label are empty and must not overwrite what is stored for the hub.
    /// </summary>
    public bool DescribesHub { get; init; } = true;
    /// <summary>Pith's id of the hub's work (the JSON form's <c>work.id</c>, a uuid); empty when the page does not give it.</summary>
    public string SourceId { get; init; } = "";
    /// <summary>The hub's authors as Pith lists them (<c>authors_text</c>); empty when absent.</summary>
    public string Authors { get; init; } = "";
    public int? Year { get; init; }
    /// <summary>The hub's venue as Pith gives it (for arXiv papers, the primary category); empty when absent.</summary>
    public string Venue { get; init; } = "";
    /// <summary>Empty when the page has no abstract section.</summary>
    public string Abstract { get; init; } = "";
    /// <summary>The tier label line as printed ("hub", "super hub Canonical reference", ...); empty when absent.</summary>
    public string TierLabel { get; init; } = "";
    /// <summary>The count the page states ("27 Pith papers cite this work."); null when none.</summary>
    public int? StatedCitingCount { get; init; }
    /// <summary>The JSON form's identifiers, else those the title gives (raw reference strings); empty when none.</summary>
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
    /// <summary>Given by the JSON form only; empty on text pages.</summary>
    public string ArxivId { get; init; } = "";
    public string PrimaryCategory { get; init; } = "";
    public DateOnly? SubmittedDate { get; init; }
    /// <summary>The submission time with its offset (JSON form only); <see cref="SubmittedDate"/> is its date.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
    /// <summary>As the page writes it: "unverdicted" on text pages, "UNVERDICTED" in the JSON form.</summary>
    public string Verdict { get; init; } = "";
    public float? NoveltyScore { get; init; }
    public int? ReferenceCount { get; init; }
    /// <summary>True when listed among the representative citing papers.</summary>
    public bool Representative { get; init; }
    /// <summary>
    /// Pith's <c>confidence</c> for this citing link, 0–1 (JSON form only). Pith does not document it; it sits
    /// with the reference's index and count, so it reads as the confidence that the reference is the hub.
    /// </summary>
    public float? LinkConfidence { get; init; }
    /// <summary>The citing paper's text around its citation of the hub (JSON form only); null when not given.</summary>
    public string? ContextText { get; init; }
    /// <summary>How many citation contexts Pith found in the paper (JSON form only).</summary>
    public int? ContextCount { get; init; }
    /// <summary>
    /// Pith's own role label for the paper's top citation context, lower-cased and otherwise verbatim (JSON form
    /// only; empty when Pith gives none). Not the service's classification, which is stored apart.
    /// </summary>
    public string SourceRole { get; init; } = "";
    /// <summary>Pith's own polarity label for the top context, as <see cref="SourceRole"/>; the sample has "background".</summary>
    public string SourcePolarity { get; init; } = "";
}

/// <summary>The text is not a hub page; the message says what is missing.</summary>
public sealed class HubPageFormatException(string message) : Exception(message);
