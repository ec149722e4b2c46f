using CitationService.Core.Classification;

namespace CitationService.Classification.Summaries;

/// <summary>
/// One (hub, citing paper) pair of the summary corpus: the hub's title and abstract, the citing paper's title
/// and one-line summary, and, once an annotator has read it against docs/ANNOTATION.md, its role and polarity.
/// </summary>
public sealed record SummaryPair
{
    /// <summary>Stable id of the pair.</summary>
    public required string Id { get; init; }
    /// <summary>Identifies the hub; splits are grouped by it.</summary>
    public required string HubKey { get; init; }
    public required string HubTitle { get; init; }
    public string HubAbstract { get; init; } = "";
    /// <summary>The page's tier label ("hub Tool reference"), where the source is a Pith page.</summary>
    public string HubTier { get; init; } = "";
    public string CitingTitle { get; init; } = "";
    public required string Summary { get; init; }
    /// <summary>The citation context, where the source gives one (read by the annotator; not a model input).</summary>
    public string Context { get; init; } = "";
    /// <summary>Where the texts came from: file and record ids.</summary>
    public required string Source { get; init; }
    /// <summary>train, dev or test: fixed when the pair is proposed, before any label or model exists.</summary>
    public required string Split { get; init; }
    /// <summary>BACKGROUND, METHOD, DATASET, BASELINE, EXTENSION or OTHER; empty until labelled.</summary>
    public string Role { get; init; } = "";
    /// <summary>SUPPORTING, NEUTRAL or CONTRASTING; empty until labelled.</summary>
    public string Polarity { get; init; } = "";

    /// <summary>The hub as the summary models read it.</summary>
    public HubText ToHubText() => new(HubTitle, HubAbstract, HubTier);
}
