using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace CitationService.Classification.Training;

/// <summary>A training row as ML.NET sees it.</summary>
public sealed class TrainRow
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
    public float Weight { get; set; } = 1f;
}

/// <summary>Builds the featurizer and trainer estimators for a <see cref="PipelineConfig"/>.</summary>
public static class PipelineFactory
{
    public const string TextColumn = "Text";
    public const string LabelColumn = "Label";
    public const string LabelKeyColumn = "LabelKey";
    public const string WeightColumn = "Weight";
    public const string FeaturesColumn = "Features";
    public const string ScoreColumn = "Score";
    public const string FirstScoreColumn = "Score0";

    /// <summary>Text → Features: word 1..N-grams and char n-gram blocks, each TF-IDF weighted and L2-normalised, concatenated.</summary>
    public static IEstimator<ITransformer> BuildFeaturizer(MLContext ml, PipelineConfig config)
    {
        var blocks = new List<string>();
        IEstimator<ITransformer>? chain = null;

        void Add(IEstimator<ITransformer> est)
        {
            chain = chain is null ? est : chain.Append(est);
        }

        void AddSelection(string column)
        {
            if (config.MinCount > 1)
            {
                Add(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(column, count: config.MinCount));
                Add(ml.Transforms.NormalizeLpNorm(column, norm: Microsoft.ML.Transforms.LpNormNormalizingEstimatorBase.NormFunction.L2));
            }
        }

        if (config.WordNgramLength > 0)
        {
            Add(ml.Transforms.Text.FeaturizeText("FeatWords", new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = false,
                KeepPunctuations = true,
                KeepNumbers = true,
                WordFeatureExtractor = new WordBagEstimator.Options
                {
                    NgramLength = config.WordNgramLength,
                    UseAllLengths = true,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                CharFeatureExtractor = null,
                Norm = config.MinCount > 1 ? TextFeaturizingEstimator.NormFunction.None : TextFeaturizingEstimator.NormFunction.L2,
            }, TextColumn));
            AddSelection("FeatWords");
            blocks.Add("FeatWords");
        }

        foreach (var n in config.CharNgramLengths)
        {
            var name = $"FeatChars{n}";
            Add(ml.Transforms.Text.FeaturizeText(name, new TextFeaturizingEstimator.Options
            {
                CaseMode = TextNormalizingEstimator.CaseMode.Lower,
                KeepDiacritics = false,
                KeepPunctuations = true,
                KeepNumbers = true,
                WordFeatureExtractor = null,
                CharFeatureExtractor = new WordBagEstimator.Options
                {
                    NgramLength = n,
                    UseAllLengths = false,
                    Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
                },
                Norm = config.MinCount > 1 ? TextFeaturizingEstimator.NormFunction.None : TextFeaturizingEstimator.NormFunction.L2,
            }, TextColumn));
            AddSelection(name);
            blocks.Add(name);
        }

        Add(ml.Transforms.Concatenate(FeaturesColumn, [.. blocks]));
        return chain!;
    }

    /// <summary>The multiclass trainer on LabelKey/Features/Weight. Single-threaded so that training is deterministic.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="config">Weights, iterations and the default L2.</param>
    /// <param name="spec">"lbfgs" or "sdca", optionally with its own L2: "sdca:0.0001".</param>
    public static IEstimator<ITransformer> BuildTrainer(MLContext ml, PipelineConfig config, string spec)
    {
        string? weight = config.WeightPower > 0 ? WeightColumn : null;
        var parts = spec.Split(':');
        var l2 = parts.Length > 1 ? float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : config.L2;
        return parts[0] switch
        {
            "lbfgs" => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKeyColumn,
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = weight,
                L1Regularization = 0f,
                L2Regularization = l2,
                MaximumNumberOfIterations = config.MaxIterations,
                NumberOfThreads = 1,
            }),
            "sdca" => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelKeyColumn,
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = weight,
                L2Regularization = l2,
                MaximumNumberOfIterations = config.MaxIterations,
                NumberOfThreads = 1,
            }),
            _ => throw new ArgumentException($"Unknown trainer '{spec}'."),
        };
    }

    /// <summary>Inverse class-frequency example weights raised to <paramref name="power"/>.</summary>
    public static Dictionary<string, float> ClassWeights(IReadOnlyList<Data.LabeledText> rows, double power)
    {
        var counts = rows.GroupBy(r => r.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var k = counts.Count;
        return counts.ToDictionary(
            kv => kv.Key,
            kv => power <= 0 ? 1f : (float)Math.Pow(rows.Count / (double)(k * kv.Value), power),
            StringComparer.Ordinal);
    }
}
