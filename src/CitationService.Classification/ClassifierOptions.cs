namespace CitationService.Classification;

/// <summary>Settings of the model-based citation classifier, bound from the <c>Classification</c> configuration section.</summary>
public sealed class ClassifierOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Classification";

    /// <summary>
    /// Folder holding <c>role.zip</c>, <c>polarity.zip</c> and <c>metrics.json</c> (written by <c>citations train</c>).
    /// A relative path is resolved against the host's content root. Default: <c>models</c>.
    /// </summary>
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>
    /// Predictions whose confidence (probability of the predicted label) falls below this are treated as
    /// low-confidence by callers. Must lie within [0, 1]. Default: 0.5. The classifier itself always returns
    /// the most probable label with every class's probability.
    /// </summary>
    public float ConfidenceThreshold { get; set; } = 0.5f;
}
