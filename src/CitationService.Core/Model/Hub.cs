namespace CitationService.Core.Model;

/// <summary>A cited paper as the store holds it.</summary>
public sealed record Hub
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Abstract { get; init; } = "";
    public string TierLabel { get; init; } = "";
    public int? StatedCitingCount { get; init; }
    /// <summary>How many citing papers of this hub the store holds.</summary>
    public int StoredCitingCount { get; init; }
    public string SourceUrl { get; init; } = "";
    public string ArxivId { get; init; } = "";
    public string Doi { get; init; } = "";
    /// <summary>The Pith hub's uuid; empty when no page came from a Pith address or document.</summary>
    public string PithId { get; init; } = "";
    /// <summary>What a Pith JSON document gives of the work; empty / null when no page gave them.</summary>
    public string Authors { get; init; } = "";
    public int? Year { get; init; }
    public string Venue { get; init; } = "";
    /// <summary>The page's own "citation-role summary" counts, as printed.</summary>
    public IReadOnlyList<StatedLabelCount> StatedRoleCounts { get; init; } = [];
    /// <summary>The page's own polarity counts, as printed.</summary>
    public IReadOnlyList<StatedLabelCount> StatedPolarityCounts { get; init; } = [];
    public DateTimeOffset IngestedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A label count a hub page states, e.g. <c>background 86</c>.</summary>
public sealed record StatedLabelCount(string Label, int Count);
