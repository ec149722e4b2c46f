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

/// <summary>
/// The role and polarity a source (e.g. Pith's citers.json) gave a citation, as it wrote them (lower-cased),
/// and the address of the document that gave them.
/// </summary>
public sealed record SourceLabels(string Role, string Polarity, string From)
{
    /// <summary>The source's role as the service's label; <see cref="CitationRole.Unspecified"/> when it has none or another vocabulary's.</summary>
    public CitationRole RoleLabel => LabelNamed<CitationRole>(Role);

    /// <summary>The source's polarity as the service's label; Unspecified as for <see cref="RoleLabel"/>.</summary>
    public CitationPolarity PolarityLabel => LabelNamed<CitationPolarity>(Polarity);

    /// <summary>The label whose name is <paramref name="name"/>, ignoring case; Unspecified (0) for any other text.</summary>
    public static T LabelNamed<T>(string name)
        where T : struct, Enum =>
        name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<T>(name, ignoreCase: true, out var label) ? label : default;
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
