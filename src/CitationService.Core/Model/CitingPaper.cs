namespace CitationService.Core.Model;

/// <summary>A paper citing a hub, as the store holds it.</summary>
public sealed record CitingPaper
{
    public required string Id { get; init; }
    public required string HubId { get; init; }
    public required string Title { get; init; }
    /// <summary>The one-line summary; null when the page gives none.</summary>
    public string? Summary { get; init; }
    public string ArxivId { get; init; } = "";
    public string PrimaryCategory { get; init; } = "";
    public DateOnly? SubmittedDate { get; init; }
    public string Verdict { get; init; } = "";
    public float? NoveltyScore { get; init; }
    public int? ReferenceCount { get; init; }
    public bool Representative { get; init; }
    /// <summary>Zero-based position on the hub page; lists and streams follow it.</summary>
    public int Position { get; init; }
    /// <summary>Null until classified.</summary>
    public LabelPrediction<CitationRole>? Role { get; init; }
    /// <summary>Null until classified.</summary>
    public LabelPrediction<CitationPolarity>? Polarity { get; init; }
    /// <summary>Which texts <see cref="Role"/> and <see cref="Polarity"/> were computed from (meaningful once classified).</summary>
    public Classification.LabelSource LabelSource { get; init; }
    /// <summary>The submission time, where the page gives it (Pith's JSON form).</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
    /// <summary>The source's confidence, 0–1, that the paper's reference is the hub.</summary>
    public float? LinkConfidence { get; init; }
    /// <summary>The text around the paper's citation of the hub; null when the source gives none.</summary>
    public string? ContextText { get; init; }
    /// <summary>How many citation contexts the source found in the paper.</summary>
    public int? ContextCount { get; init; }
    /// <summary>The role and polarity the source gave the citation, apart from the service's labels; null when it gave none.</summary>
    public SourceLabels? SourceLabels { get; init; }
}
