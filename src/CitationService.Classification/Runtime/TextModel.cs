using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CitationService.Classification.Runtime;

/// <summary>Prediction input: one (cleaned) text.</summary>
public sealed class PredictInput
{
    public string Text { get; set; } = "";
}

/// <summary>
/// Prediction output, in Score slot order: <c>Score0</c> holds the first trainer's probabilities (copied right after it),
/// <c>Score</c> the last trainer's. A single-trainer model has both equal; an ensemble averages them.
/// </summary>
public sealed class ScoreOutput
{
    public float[] Score { get; set; } = [];

    public float[] Score0 { get; set; } = [];

    /// <summary>The mean of <see cref="Score0"/> and <see cref="Score"/>.</summary>
    public float[] Probabilities()
    {
        var result = new float[Score.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = 0.5f * (Score[i] + Score0[i]);
        }
        return result;
    }
}

/// <summary>One prediction: the label (argmax after the tuned biases), its probability, and every class's probability.</summary>
public sealed record TextPrediction(string Label, float Confidence, IReadOnlyDictionary<string, float> Probabilities);

/// <summary>
/// A trained text classifier: an ML.NET transformer (Text → Score), the label of each Score slot (read from
/// the slot-name metadata) and per-class log-probability biases tuned on dev. Thread-safe: single predictions
/// go through a pool of <see cref="PredictionEngine{TSrc,TDst}"/>s.
/// </summary>
public sealed class TextModel
{
    private readonly MLContext _ml;
    private readonly float[] _bias;
    private readonly DefaultObjectPool<PredictionEngine<PredictInput, ScoreOutput>> _pool;

    public TextModel(MLContext ml, ITransformer transformer, IReadOnlyDictionary<string, float>? biases)
    {
        _ml = ml;
        Transformer = transformer;
        var schema = transformer.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<PredictInput>()).Schema);
        Labels = ScoreLabels(schema);
        _bias = [.. Labels.Select(l => biases is not null && biases.TryGetValue(l, out var b) ? b : 0f)];
        _pool = new DefaultObjectPool<PredictionEngine<PredictInput, ScoreOutput>>(
            new EnginePolicy(ml, transformer), Math.Max(4, Environment.ProcessorCount * 2));
    }

    /// <summary>The transformer (featurizer + trainer), as saved to the zip.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The label of each probability slot.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Loads a model zip saved by <see cref="Save"/>.</summary>
    public static TextModel Load(string path, IReadOnlyDictionary<string, float>? biases, int seed = 1)
    {
        var ml = new MLContext(seed);
        var transformer = ml.Model.Load(path, out _);
        return new TextModel(ml, transformer, biases);
    }

    /// <summary>Saves the transformer with a Text-only input schema.</summary>
    public void Save(string path)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<PredictInput>()).Schema;
        _ml.Model.Save(Transformer, schema, path);
    }

    /// <summary>Cleans <paramref name="rawText"/> with <see cref="TextPreprocessor.Clean"/> and predicts it.</summary>
    public TextPrediction Predict(string? rawText)
    {
        var input = new PredictInput { Text = TextPreprocessor.Clean(rawText) };
        var engine = _pool.Get();
        float[] raw;
        try
        {
            raw = engine.Predict(input).Probabilities();
        }
        finally
        {
            _pool.Return(engine);
        }
        return ToPrediction(Adjust(raw));
    }

    /// <summary>Adjusted probabilities for texts that are ALREADY cleaned (evaluation on prepared corpora).</summary>
    public float[][] PredictCleanedBatch(IReadOnlyList<string> cleanedTexts) =>
        [.. RawBatch(cleanedTexts).Select(Adjust)];

    /// <summary>Raw model probabilities (no biases) for already-cleaned texts.</summary>
    public float[][] RawBatch(IReadOnlyList<string> cleanedTexts)
    {
        var data = _ml.Data.LoadFromEnumerable(cleanedTexts.Select(t => new PredictInput { Text = t }));
        var scored = Transformer.Transform(data);
        return [.. _ml.Data.CreateEnumerable<ScoreOutput>(scored, reuseRowObject: false).Select(o => o.Probabilities())];
    }

    /// <summary>p'_c ∝ p_c · exp(b_c), renormalised to sum to 1.</summary>
    public float[] Adjust(float[] raw) => ApplyBias(raw, _bias);

    public static float[] ApplyBias(float[] raw, float[] bias)
    {
        var result = new float[raw.Length];
        double sum = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var v = Math.Max(raw[i], 0f) * Math.Exp(i < bias.Length ? bias[i] : 0f);
            result[i] = (float)v;
            sum += v;
        }
        if (sum <= 0 || double.IsNaN(sum))
        {
            Array.Fill(result, 1f / raw.Length);
            return result;
        }
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)(result[i] / sum);
        }
        return result;
    }

    /// <summary>Index of the largest value (first on ties).</summary>
    public static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>Reads the label of every Score slot from the column's slot-name metadata.</summary>
    public static string[] ScoreLabels(DataViewSchema schema)
    {
        var column = schema["Score"];
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetSlotNames(ref names);
        var labels = names.DenseValues().Select(m => m.ToString()).ToArray();
        if (labels.Length == 0 || labels.Any(string.IsNullOrEmpty))
        {
            throw new InvalidOperationException("The model's Score column carries no slot names.");
        }
        return labels;
    }

    private TextPrediction ToPrediction(float[] probabilities)
    {
        var best = ArgMax(probabilities);
        var dict = new Dictionary<string, float>(Labels.Count, StringComparer.Ordinal);
        for (var i = 0; i < Labels.Count; i++)
        {
            dict[Labels[i]] = probabilities[i];
        }
        return new TextPrediction(Labels[best], probabilities[best], dict);
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer) : PooledObjectPolicy<PredictionEngine<PredictInput, ScoreOutput>>
    {
        public override PredictionEngine<PredictInput, ScoreOutput> Create() =>
            ml.Model.CreatePredictionEngine<PredictInput, ScoreOutput>(transformer);

        public override bool Return(PredictionEngine<PredictInput, ScoreOutput> obj) => true;
    }
}
