namespace CitationService.Core.Model;

/// <summary>What the hub is to the citing paper. Values match <c>citations.v1.CitationRole</c>.</summary>
public enum CitationRole
{
    /// <summary>Not classified.</summary>
    Unspecified = 0,
    /// <summary>Context, related work, motivation.</summary>
    Background = 1,
    /// <summary>A method, model, tool or code the citing paper applies.</summary>
    Method = 2,
    /// <summary>A dataset or benchmark the citing paper uses.</summary>
    Dataset = 3,
    /// <summary>A competitor the citing paper compares against.</summary>
    Baseline = 4,
    /// <summary>The approach the citing paper builds on.</summary>
    Extension = 5,
    /// <summary>None of the above, e.g. future-work pointers.</summary>
    Other = 6,
}

/// <summary>The citing paper's stance towards the hub. Values match <c>citations.v1.CitationPolarity</c>.</summary>
public enum CitationPolarity
{
    /// <summary>Not classified.</summary>
    Unspecified = 0,
    /// <summary>Confirms, replicates or endorses the hub's claims.</summary>
    Supporting = 1,
    /// <summary>Mentions, uses or compares against the hub without disputing it.</summary>
    Neutral = 2,
    /// <summary>Disputes the hub's claims or exposes its limits.</summary>
    Contrasting = 3,
}
