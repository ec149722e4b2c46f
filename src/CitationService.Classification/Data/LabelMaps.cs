namespace CitationService.Classification.Data;

/// <summary>Corpus labels → the service's role and polarity labels (see TAXONOMY.md). No corpus labels DATASET.</summary>
public static class LabelMaps
{
    /// <summary>The role labels the production model knows (CitationRole names). Dataset is absent: no corpus labels it.</summary>
    public static readonly IReadOnlyList<string> RoleLabels = ["Background", "Method", "Baseline", "Extension", "Other"];

    /// <summary>The polarity labels the production model knows (CitationPolarity names).</summary>
    public static readonly IReadOnlyList<string> PolarityLabels = ["Supporting", "Neutral", "Contrasting"];

    public static string ToRole(string corpus, string label) => (corpus, label) switch
    {
        (Corpora.SciCite, "background") => "Background",
        (Corpora.SciCite, "method") => "Method",
        (Corpora.SciCite, "result") => "Baseline",
        (Corpora.AclArc, "Background") or (Corpora.AclArc, "Motivation") => "Background",
        (Corpora.AclArc, "Uses") => "Method",
        (Corpora.AclArc, "CompareOrContrast") => "Baseline",
        (Corpora.AclArc, "Extends") => "Extension",
        (Corpora.AclArc, "Future") => "Other",
        (Corpora.Act, "BACKGROUND") or (Corpora.Act, "MOTIVATION") => "Background",
        (Corpora.Act, "USES") => "Method",
        (Corpora.Act, "COMPARES_CONTRASTS") => "Baseline",
        (Corpora.Act, "EXTENSION") => "Extension",
        (Corpora.Act, "FUTURE") => "Other",
        _ => throw new ArgumentException($"No role mapping for {corpus}/{label}."),
    };

    public static string ToPolarity(string atharLabel) => atharLabel switch
    {
        "p" => "Supporting",
        "o" => "Neutral",
        "n" => "Contrasting",
        _ => throw new ArgumentException($"No polarity mapping for '{atharLabel}'."),
    };

    public static string FromPolarity(string polarity) => polarity switch
    {
        "Supporting" => "p",
        "Neutral" => "o",
        "Contrasting" => "n",
        _ => throw new ArgumentException($"Unknown polarity '{polarity}'."),
    };

    /// <summary>Maps every row of a split with <paramref name="map"/>.</summary>
    public static List<LabeledText> Map(IEnumerable<LabeledText> rows, Func<string, string> map) =>
        [.. rows.Select(r => r with { Label = map(r.Label) })];
}
