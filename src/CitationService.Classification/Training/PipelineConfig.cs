namespace CitationService.Classification.Training;

/// <summary>Everything that defines a text model's training; serialised into metrics.json and hashed into the model version.</summary>
public sealed record PipelineConfig
{
    /// <summary>Word n-grams 1..N, TF-IDF, L2-normalised block.</summary>
    public int WordNgramLength { get; init; } = 2;

    /// <summary>Character n-gram lengths, one TF-IDF L2-normalised block each.</summary>
    public IReadOnlyList<int> CharNgramLengths { get; init; } = [3, 4, 5];

    /// <summary>
    /// "lbfgs" (LbfgsMaximumEntropy) or "sdca" (SdcaMaximumEntropy), each optionally with its own L2 ("sdca:0.0001");
    /// two joined by '+' make an ensemble that averages their probabilities.
    /// </summary>
    public string Trainer { get; init; } = "lbfgs";

    /// <summary>Keep only n-gram features seen in at least this many training texts (1 = keep all); each block is L2-normalised after the selection.</summary>
    public int MinCount { get; init; } = 1;

    public float L2 { get; init; } = 0.01f;

    /// <summary>Example weight = (N / (K · n_class)) ^ WeightPower; 0 = unweighted.</summary>
    public double WeightPower { get; init; } = 1.0;

    /// <summary>Multi-corpus models: example weight also × (N / (G · n_group)) ^ GroupWeightPower, group = source corpus; 0 = off.</summary>
    public double GroupWeightPower { get; init; }

    /// <summary>Tune additive per-class log-probability biases on the dev split (prior correction / thresholds).</summary>
    public bool TuneBiases { get; init; } = true;

    public int MaxIterations { get; init; } = 200;

    public int Seed { get; init; } = 1;

    /// <summary>Descriptive only: which corpora feed the model (for the role model).</summary>
    public IReadOnlyList<string> TrainingCorpora { get; init; } = [];
}
