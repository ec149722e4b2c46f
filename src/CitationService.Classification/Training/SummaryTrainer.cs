using CitationService.Classification.Data;
using CitationService.Classification.Runtime;
using CitationService.Classification.Summaries;
using CitationService.Core.Classification;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CitationService.Classification.Training;

/// <summary>Settings of a summary model. <see cref="UseHub"/> false gives the text-only comparison model.</summary>
public sealed record SummaryConfig
{
    public float L2 { get; init; } = 1e-2f;
    /// <summary>Example weight = (n / (k · n_class))^power: 0 = unweighted, 1 = fully balanced.</summary>
    public double WeightPower { get; init; } = 0.5;
    public int MaxIterations { get; init; } = 100;
    /// <summary>False: the hub's blocks are left out (the hub is read as empty).</summary>
    public bool UseHub { get; init; } = true;
    /// <summary>Train on the ACT/3C pairs too (real citations whose citing title stands in for the summary).</summary>
    public bool UseAct { get; init; } = true;
    /// <summary>
    /// Weight of the citation-sentence corpora as extra training rows read without a hub (role: SciCite and
    /// ACL-ARC train; polarity: Athar train); 0 leaves them out.
    /// </summary>
    public float SentenceWeight { get; init; }
}

/// <summary>A trained summary model, with the figures of the out-of-fold summary predictions its biases and temperature were fitted on.</summary>
public sealed record TrainedSummaryModel(
    ITransformer Transformer,
    LinearModel Model,
    IReadOnlyList<string> Labels,
    float[] ClassBiases,
    float Temperature,
    EvalResult CrossValidated,
    double CrossValidatedEce);

/// <summary>
/// Trains the hub-aware summary models: <see cref="SummaryFeaturizer"/> vectors, ML.NET L-BFGS maximum entropy.
/// Every choice (settings, per-class biases, calibration temperature) is made by 5-fold cross-validation grouped by
/// hub over the train and dev splits; the test split is never read here.
/// </summary>
public static class SummaryTrainer
{
    public const int Folds = 5;

    private sealed class FeatureRow
    {
        public uint Label { get; set; }
        public VBuffer<float> Features { get; set; }
        public float Weight { get; set; }
    }

    /// <summary>The pairs the summary models learn from under <paramref name="config"/> (train and dev; never test).</summary>
    public static IReadOnlyList<SummaryPair> TrainingPairs(IReadOnlyList<SummaryPair> corpus, SummaryConfig config) =>
        [.. corpus.Where(p => p.Split is "train" or "dev" && (config.UseAct || p.Context.Length == 0))];

    /// <summary>The gold label of a pair for a task ("role" or "polarity").</summary>
    public static string Gold(SummaryPair pair, string task) => task == "role" ? pair.Role : pair.Polarity;

    public static IReadOnlyList<string> LabelsOf(string task) => task == "role" ? SummaryCorpus.Roles : SummaryCorpus.Polarities;

    /// <summary>The featurizer's view of a pair's hub.</summary>
    public static HubText HubOf(SummaryPair pair, SummaryConfig config) => config.UseHub ? pair.ToHubText() : HubText.None;

    public static (int[] Indices, float[] Values) Featurize(SummaryPair pair, SummaryConfig config) =>
        SummaryFeaturizer.Featurize(pair.Summary, SummaryFeaturizer.ReadHub(HubOf(pair, config)));

    /// <summary>What cross-validation decides and measures: biases, temperature, and the out-of-fold figures after them.</summary>
    public sealed record CrossValidation(float[] ClassBiases, float Temperature, EvalResult Eval, double Ece);

    /// <summary>Cross-validates <paramref name="config"/>, then trains on all of <paramref name="pairs"/> (and the sentence rows it asks for).</summary>
    public static TrainedSummaryModel Train(IReadOnlyList<SummaryPair> pairs, string task, SummaryConfig config, IReadOnlyList<(string Text, string Label)> sentences)
    {
        var labels = LabelsOf(task);
        var (features, gold, extra) = Rows(pairs, task, config, sentences);
        var cv = CrossValidate(pairs, features, gold, labels, config, extra);
        var transformer = Fit([.. features, .. extra.Features], [.. gold, .. extra.Gold], labels.Count, config, features.Length);
        var model = LinearModel.FromTransformer(transformer, cv.ClassBiases, cv.Temperature);
        return new TrainedSummaryModel(transformer, model, labels, cv.ClassBiases, cv.Temperature, cv.Eval, cv.Ece);
    }

    /// <summary>Cross-validates <paramref name="config"/> alone (no final fit): what <c>citations summaries tune</c> prints.</summary>
    public static CrossValidation CrossValidate(IReadOnlyList<SummaryPair> pairs, string task, SummaryConfig config, IReadOnlyList<(string Text, string Label)> sentences)
    {
        var (features, gold, extra) = Rows(pairs, task, config, sentences);
        return CrossValidate(pairs, features, gold, LabelsOf(task), config, extra);
    }

    private static ((int[] Indices, float[] Values)[] Features, int[] Gold, ExtraRows Extra) Rows(
        IReadOnlyList<SummaryPair> pairs, string task, SummaryConfig config, IReadOnlyList<(string Text, string Label)> sentences)
    {
        var labels = LabelsOf(task);
        return ([.. pairs.Select(p => Featurize(p, config))], [.. pairs.Select(p => IndexOf(labels, Gold(p, task)))], Extra(sentences, labels, config));
    }

    // Biases, temperature and the cross-validated figures come from the one-line summaries alone: the ACT/3C
    // pairs (a title standing in for the summary) help training but are not what the model serves.
    private static CrossValidation CrossValidate(
        IReadOnlyList<SummaryPair> pairs, (int[] Indices, float[] Values)[] features, int[] gold, IReadOnlyList<string> labels, SummaryConfig config, ExtraRows extra)
    {
        var logits = CrossValidatedLogits(pairs, features, gold, labels.Count, config, extra);
        var scored = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Context.Length == 0).ToArray();
        var scoredLogits = scored.Select(i => logits[i]).ToArray();
        var scoredGold = scored.Select(i => gold[i]).ToArray();
        var raw = scoredLogits.Select(z => LinearModel.Calibrate(z, new float[labels.Count], 1f)).ToArray();
        var biases = Evaluation.TuneBiases(raw, scoredGold, labels.Count);
        var temperature = FitTemperature(scoredLogits, scoredGold, biases);
        var calibrated = scoredLogits.Select(z => LinearModel.Calibrate(z, biases, temperature)).ToArray();
        return new CrossValidation(biases, temperature, Score(calibrated, scoredGold, labels), ExpectedCalibrationError(calibrated, scoredGold));
    }

    /// <summary>Out-of-fold raw logits for every pair: folds grouped by hub.</summary>
    private static float[][] CrossValidatedLogits(IReadOnlyList<SummaryPair> pairs, (int[], float[])[] features, int[] gold, int classes, SummaryConfig config, ExtraRows extra)
    {
        var fold = pairs.Select(p => StableSplit.Bucket("summary-cv", p.HubKey) % Folds).ToArray();
        var logits = new float[pairs.Count][];
        for (var f = 0; f < Folds; f++)
        {
            var trainIdx = Enumerable.Range(0, pairs.Count).Where(i => fold[i] != f).ToArray();
            var transformer = Fit([.. trainIdx.Select(i => features[i]), .. extra.Features], [.. trainIdx.Select(i => gold[i]), .. extra.Gold], classes, config, trainIdx.Length);
            var model = LinearModel.FromTransformer(transformer, new float[classes], 1f);
            for (var i = 0; i < pairs.Count; i++)
            {
                if (fold[i] == f)
                {
                    logits[i] = model.Logits(features[i].Item1, features[i].Item2);
                }
            }
        }
        return logits;
    }

    /// <summary>Citation-sentence rows, featurised without a hub, that every fit adds to its summary pairs.</summary>
    private sealed record ExtraRows((int[] Indices, float[] Values)[] Features, int[] Gold)
    {
        public static readonly ExtraRows None = new([], []);
    }

    private static ExtraRows Extra(IReadOnlyList<(string Text, string Label)> sentences, IReadOnlyList<string> labels, SummaryConfig config)
    {
        if (config.SentenceWeight <= 0 || sentences.Count == 0)
        {
            return ExtraRows.None;
        }
        var hub = SummaryFeaturizer.ReadHub(HubText.None);
        return new ExtraRows([.. sentences.Select(s => SummaryFeaturizer.Featurize(s.Text, hub))], [.. sentences.Select(s => IndexOf(labels, s.Label.ToUpperInvariant()))]);
    }

    /// <summary>The citation-sentence training rows for a task in the service's labels (production protocol: no dev or test text).</summary>
    public static IReadOnlyList<(string Text, string Label)> SentenceRows(string dataDir, string task)
    {
        var set = CorpusSet.Load(dataDir);
        var rows = task == "role"
            ? TrainingRunner.RoleData(set, [Corpora.AclArc, Corpora.SciCite]).Train
            : TrainingRunner.PolarityData(set).Train;
        return [.. rows.Select(r => (r.Text, r.Label))];
    }

    /// <summary>
    /// Fits ML.NET's L-BFGS maximum entropy on feature vectors (single-threaded: deterministic). Rows from
    /// <paramref name="summaryRows"/> on are citation sentences, weighted by <see cref="SummaryConfig.SentenceWeight"/>.
    /// </summary>
    public static ITransformer Fit((int[] Indices, float[] Values)[] features, int[] gold, int classes, SummaryConfig config, int? summaryRows = null)
    {
        var summaries = summaryRows ?? features.Length;
        var ml = new MLContext(seed: 1);
        var counts = new int[classes];
        foreach (var g in gold.Take(summaries))
        {
            counts[g]++;
        }
        var present = counts.Count(c => c > 0);
        var rows = features.Select((f, i) => Row(f, (uint)gold[i],
            i >= summaries ? config.SentenceWeight
                : config.WeightPower <= 0 ? 1f : (float)Math.Pow(summaries / (double)(present * counts[gold[i]]), config.WeightPower)));
        var data = ml.Data.LoadFromEnumerable(rows, Schema(classes));
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            ExampleWeightColumnName = nameof(FeatureRow.Weight),
            L1Regularization = 0f,
            L2Regularization = config.L2,
            MaximumNumberOfIterations = config.MaxIterations,
            NumberOfThreads = 1,
        });
        return trainer.Fit(data);
    }

    // Key values in a POCO are zero-based here: slot c of the Score column is label c.
    private static FeatureRow Row((int[] Indices, float[] Values) features, uint label, float weight) => new()
    {
        Label = label,
        Features = new VBuffer<float>(SummaryFeaturizer.Dimension, features.Indices.Length, features.Values, features.Indices),
        Weight = weight,
    };

    private static SchemaDefinition Schema(int classes)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, SummaryFeaturizer.Dimension);
        return schema;
    }

    /// <summary>Saves the transformer with a Features-only input schema.</summary>
    public static void Save(ITransformer transformer, int classes, string path)
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), Schema(classes));
        ml.Model.Save(transformer, empty.Schema, path);
    }

    /// <summary>ML.NET's own probabilities for feature vectors (to check <see cref="LinearModel"/> against).</summary>
    public static float[][] MlNetProbabilities(ITransformer transformer, (int[] Indices, float[] Values)[] features, int classes)
    {
        var ml = new MLContext(seed: 1);
        var scored = transformer.Transform(ml.Data.LoadFromEnumerable(features.Select(f => Row(f, 0, 1f)), Schema(classes)));
        return [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
    }

    /// <summary>The temperature in [0.25, 8] that minimises the negative log-likelihood of softmax((z + b) / T) (golden-section search on log T).</summary>
    public static float FitTemperature(float[][] logits, int[] gold, float[] biases)
    {
        double Nll(double logT)
        {
            var t = (float)Math.Exp(logT);
            double sum = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                sum -= Math.Log(Math.Max(LinearModel.Calibrate(logits[i], biases, t)[gold[i]], 1e-12));
            }
            return sum;
        }
        double lo = Math.Log(0.25), hi = Math.Log(8);
        var phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = Nll(a), fb = Nll(b);
        for (var i = 0; i < 40; i++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = Nll(a);
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = Nll(b);
            }
        }
        return (float)Math.Exp((lo + hi) / 2);
    }

    /// <summary>Expected calibration error of the top label: 10 equal-width confidence bins, |accuracy − confidence| weighted by bin size.</summary>
    public static double ExpectedCalibrationError(float[][] probabilities, int[] gold, int bins = 10)
    {
        var count = new int[bins];
        var correct = new double[bins];
        var confidence = new double[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var best = TextModel.ArgMax(probabilities[i]);
            var p = probabilities[i][best];
            var bin = Math.Min(bins - 1, (int)(p * bins));
            count[bin]++;
            confidence[bin] += p;
            correct[bin] += best == gold[i] ? 1 : 0;
        }
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += Math.Abs(correct[b] - confidence[b]) / probabilities.Length;
            }
        }
        return ece;
    }

    /// <summary>Scores argmax predictions; macro-F1 over the classes present in the gold labels.</summary>
    public static EvalResult Score(float[][] probabilities, int[] gold, IReadOnlyList<string> labels)
    {
        var goldLabels = gold.Select(g => labels[g]).ToList();
        var predicted = probabilities.Select(p => labels[TextModel.ArgMax(p)]).ToList();
        return Evaluation.Score(goldLabels, predicted, labels, [.. labels.Where(goldLabels.Contains)]);
    }

    public static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }
        throw new InvalidDataException($"Unknown label '{label}'.");
    }
}
