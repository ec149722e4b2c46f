using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitationService.Classification.Data;
using CitationService.Classification.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace CitationService.Classification.Training;

/// <summary>A trained model with its dev-tuned biases, version and dev scores.</summary>
public sealed record TrainedModel(TextModel Model, IReadOnlyDictionary<string, float> Biases, string Version, EvalResult Dev, EvalResult DevWithoutBiases, double TrainSeconds);

/// <summary>Trains a text model: featurize → fit trainer → tune per-class biases on dev.</summary>
public static class ModelTrainer
{
    private sealed class LabelRow
    {
        public string Label { get; set; } = "";
    }

    /// <summary>Deterministic, content-derived version: prefix + 12 hex of SHA-256 over config, labels, train and dev rows.</summary>
    public static string ComputeVersion(string prefix, PipelineConfig config, IReadOnlyList<string> labels, IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> dev)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => sha.AppendData(Encoding.UTF8.GetBytes(s));
        Add("config\n" + JsonSerializer.Serialize(config) + "\nlabels\n" + string.Join('\t', labels) + "\ntrain\n");
        foreach (var r in train)
        {
            Add(r.Label + "\t" + r.Text + "\n");
        }
        Add("dev\n");
        foreach (var r in dev)
        {
            Add(r.Label + "\t" + r.Text + "\n");
        }
        return prefix + "-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    /// <summary>Fits the model on <paramref name="train"/>; tunes biases on <paramref name="dev"/> when the config asks for it.</summary>
    public static TrainedModel Train(string versionPrefix, PipelineConfig config, IReadOnlyList<string> labels,
        IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> dev, Action<string>? log = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ml = new MLContext(config.Seed);
        var weights = PipelineFactory.ClassWeights(train, config.WeightPower);
        var groupWeights = config.GroupWeightPower > 0
            ? PipelineFactory.ClassWeights([.. train.Select(r => r with { Label = r.Group })], config.GroupWeightPower)
            : null;
        var rows = train.Select(r => new TrainRow
        {
            Text = r.Text,
            Label = r.Label,
            Weight = weights[r.Label] * (groupWeights is null ? 1f : groupWeights[r.Group]),
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyData = ml.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l }));
        var labelMap = ml.Transforms.Conversion.MapValueToKey(
            PipelineFactory.LabelKeyColumn, PipelineFactory.LabelColumn,
            keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: keyData).Fit(data);
        var labeled = labelMap.Transform(data);
        var featurizer = PipelineFactory.BuildFeaturizer(ml, config).Fit(labeled);
        var featurized = ml.Data.Cache(featurizer.Transform(labeled));
        var featurizeSeconds = started.Elapsed.TotalSeconds;
        // One or two trainers ("sdca:1e-4+lbfgs:0.01"): Score0 = copy of the first one's Score; the model averages Score0 and Score.
        var specs = config.Trainer.Split('+');
        var parts = new List<ITransformer> { featurizer };
        for (var i = 0; i < specs.Length; i++)
        {
            var trainerModel = PipelineFactory.BuildTrainer(ml, config, specs[i]).Fit(featurized);
            parts.Add(trainerModel);
            if (i == 0)
            {
                parts.Add(ml.Transforms.CopyColumns(PipelineFactory.FirstScoreColumn, PipelineFactory.ScoreColumn).Fit(trainerModel.Transform(featurized)));
            }
        }
        ITransformer chain = new TransformerChain<ITransformer>([.. parts]);
        var fitSeconds = started.Elapsed.TotalSeconds - featurizeSeconds;
        var model = new TextModel(ml, chain, null);
        if (!model.Labels.SequenceEqual(labels))
        {
            throw new InvalidOperationException($"Score slots [{string.Join(",", model.Labels)}] differ from labels [{string.Join(",", labels)}].");
        }

        var devTexts = dev.Select(r => r.Text).ToList();
        var devProbs = model.RawBatch(devTexts);
        var devGold = dev.Select(r => labels.ToList().IndexOf(r.Label)).ToArray();
        var bias = config.TuneBiases ? Evaluation.TuneBiases(devProbs, devGold, labels.Count) : new float[labels.Count];
        var biases = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => bias[x.i], StringComparer.Ordinal);
        var tuned = new TextModel(ml, chain, biases);

        var devPresent = labels.Where(l => dev.Any(r => r.Label == l)).ToList();
        var devGoldLabels = dev.Select(r => r.Label).ToList();
        var rawPred = devProbs.Select(p => labels[TextModel.ArgMax(p)]).ToList();
        var tunedPred = devProbs.Select(p => labels[TextModel.ArgMax(TextModel.ApplyBias(p, bias))]).ToList();
        var devRaw = Evaluation.Score(devGoldLabels, rawPred, labels, devPresent);
        var devTuned = Evaluation.Score(devGoldLabels, tunedPred, labels, devPresent);
        var version = ComputeVersion(versionPrefix, config, labels, train, dev);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"  {versionPrefix}: train {train.Count}, dev macro-F1 {devRaw.MacroF1:F3} → {devTuned.MacroF1:F3} with biases [{string.Join(", ", bias.Select(b => b.ToString("0.##", CultureInfo.InvariantCulture)))}] ({started.Elapsed.TotalSeconds:F1}s: featurizer {featurizeSeconds:F1}s, trainer {fitSeconds:F1}s)"));
        return new TrainedModel(tuned, biases, version, devTuned, devRaw, started.Elapsed.TotalSeconds);
    }

    /// <summary>Scores a model on prepared (cleaned) rows; <paramref name="mapPrediction"/> maps model labels to the gold label set.</summary>
    public static EvalResult Evaluate(TextModel model, IReadOnlyList<LabeledText> rows, IReadOnlyList<string> labels,
        Func<string, string>? mapPrediction = null, IReadOnlyList<string>? macroLabels = null)
    {
        var probs = model.PredictCleanedBatch(rows.Select(r => r.Text).ToList());
        var predicted = probs.Select(p => model.Labels[TextModel.ArgMax(p)]).Select(l => mapPrediction is null ? l : mapPrediction(l)).ToList();
        return Evaluation.Score(rows.Select(r => r.Label).ToList(), predicted, labels, macroLabels);
    }
}
