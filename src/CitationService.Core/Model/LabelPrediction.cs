namespace CitationService.Core.Model;

/// <summary>A classifier's label for one text, with the probability of every class.</summary>
/// <param name="Label">The most probable class.</param>
/// <param name="Confidence">The probability of <paramref name="Label"/>.</param>
/// <param name="Probabilities">Every class the model knows, with its probability; they sum to 1.</param>
/// <param name="ModelVersion">The version of the model that produced it.</param>
public sealed record LabelPrediction<TLabel>(
    TLabel Label,
    float Confidence,
    IReadOnlyDictionary<TLabel, float> Probabilities,
    string ModelVersion)
    where TLabel : struct, Enum;
