using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitationService.Classification.Runtime;
using CitationService.Classification.Summaries;

namespace CitationService.Classification.Training;

/// <summary>One summary model in <c>summary-metrics.json</c>.</summary>
public sealed record SummaryModelReport
{
    public string Task { get; init; } = "";
    public string Version { get; init; } = "";
    public string File { get; init; } = "";
    public IReadOnlyList<string> Labels { get; init; } = [];
    public SummaryConfig Config { get; init; } = new();
    public string Featurizer { get; init; } = "";
    public int TrainPairs { get; init; }
    public int TrainHubs { get; init; }
    public Dictionary<string, float> Biases { get; init; } = [];
    public float Temperature { get; init; } = 1f;
    /// <summary>Out-of-fold figures over the train + dev one-line summaries (5 folds grouped by hub; ACT/3C pairs train but are not scored), after biases and temperature.</summary>
    public EvalSummary? CrossValidated { get; init; }
    public double CrossValidatedEce { get; init; }
    /// <summary>The test split, scored once with the final model.</summary>
    public EvalSummary? Test { get; init; }
    public double TestEce { get; init; }
}

/// <summary><c>models/summary-metrics.json</c>: the summary models' training report.</summary>
public sealed record SummaryMetricsFile
{
    public const string FileName = "summary-metrics.json";

    public string GeneratedBy { get; init; } = "citations train";
    public string Corpus { get; init; } = "data/summaries/pairs.jsonl";
    public Dictionary<string, SummaryModelReport> Models { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static SummaryMetricsFile Load(string path) =>
        JsonSerializer.Deserialize<SummaryMetricsFile>(System.IO.File.ReadAllText(path), MetricsFile.JsonOptions)
        ?? throw new InvalidDataException($"{path} is empty.");

    public void Save(string path) => System.IO.File.WriteAllText(path, JsonSerializer.Serialize(this, MetricsFile.JsonOptions) + "\n");
}

/// <summary>Trains the hub-aware summary models into the models folder and writes the runtime manifest.</summary>
public static class SummaryTrainingRunner
{
    public const string RoleFile = "summary-role.zip";
    public const string PolarityFile = "summary-polarity.zip";

    /// <summary>Chosen by <c>citations summaries tune</c> (cross-validation on train + dev).</summary>
    public static SummaryConfig RoleConfig { get; } = new() { L2 = 1f, WeightPower = 0.0, MaxIterations = 100 };

    /// <summary>Chosen by <c>citations summaries tune</c> (cross-validation on train + dev).</summary>
    public static SummaryConfig PolarityConfig { get; } = new() { L2 = 0.01f, WeightPower = 0.0, MaxIterations = 100 };

    public static string FeaturizerDescription =>
        string.Create(CultureInfo.InvariantCulture, $"SummaryFeaturizer: summary words and word pairs, hub words, summary-hub relation (similarity, title overlap, hub named, hub kind, tier), the words they share, summary words crossed with the relation; FNV-1a hashed into 2^{SummaryFeaturizer.HashBits} slots, each block L2-normalised");

    public static SummaryMetricsFile Run(string dataDir, string modelsDir, Action<string> log)
    {
        var corpus = SummaryCorpus.Load(dataDir);
        var models = new Dictionary<string, SummaryModelReport>();
        foreach (var (task, config, file) in new[] { ("role", RoleConfig, RoleFile), ("polarity", PolarityConfig, PolarityFile) })
        {
            log($"Training summary {task} model ...");
            var pairs = SummaryTrainer.TrainingPairs(corpus, config);
            var sentences = config.SentenceWeight > 0 ? SummaryTrainer.SentenceRows(dataDir, task) : [];
            var trained = SummaryTrainer.Train(pairs, task, config, sentences);
            SummaryTrainer.Save(trained.Transformer, trained.Labels.Count, Path.Combine(modelsDir, file));
            var test = corpus.Where(p => p.Split == "test").ToList();
            var (testEval, testEce) = Score(trained.Model, test, task, config);
            log(string.Create(CultureInfo.InvariantCulture,
                $"  summary {task}: cross-validated macro-F1 {trained.CrossValidated.MacroF1:F3} (ECE {trained.CrossValidatedEce:F3}); test macro-F1 {testEval.MacroF1:F3}, accuracy {testEval.Accuracy:F3}, ECE {testEce:F3} (n={testEval.N})"));
            models[task] = new SummaryModelReport
            {
                Task = task,
                Version = ComputeVersion(task, config, pairs),
                File = file,
                Labels = trained.Labels,
                Config = config,
                Featurizer = FeaturizerDescription,
                TrainPairs = pairs.Count,
                TrainHubs = pairs.Select(p => p.HubKey).Distinct().Count(),
                Biases = trained.Labels.Select((l, i) => (l, trained.ClassBiases[i])).ToDictionary(x => x.l, x => x.Item2),
                Temperature = trained.Temperature,
                CrossValidated = EvalSummary.From(trained.CrossValidated),
                CrossValidatedEce = Math.Round(trained.CrossValidatedEce, 4),
                Test = EvalSummary.From(testEval),
                TestEce = Math.Round(testEce, 4),
            };
        }
        var report = new SummaryMetricsFile
        {
            Models = models,
            Notes =
            [
                "Settings, per-class biases and the calibration temperature are chosen by 5-fold cross-validation grouped by hub over the train and dev splits; the test split is scored once, after training.",
                "Macro-F1 averages the classes present in the gold labels of the split.",
            ],
        };
        report.Save(Path.Combine(modelsDir, SummaryMetricsFile.FileName));
        return report;
    }

    /// <summary>Calibrated predictions of <paramref name="model"/> on <paramref name="pairs"/>: scores and expected calibration error.</summary>
    public static (EvalResult Eval, double Ece) Score(LinearModel model, IReadOnlyList<SummaryPair> pairs, string task, SummaryConfig config)
    {
        var labels = SummaryTrainer.LabelsOf(task);
        var probabilities = pairs.Select(p => SummaryTrainer.Featurize(p, config)).Select(f => model.Probabilities(f.Indices, f.Values)).ToArray();
        var gold = pairs.Select(p => SummaryTrainer.IndexOf(labels, SummaryTrainer.Gold(p, task))).ToArray();
        return (SummaryTrainer.Score(probabilities, gold, labels), SummaryTrainer.ExpectedCalibrationError(probabilities, gold));
    }

    /// <summary>A content hash of task, settings, featurizer and labelled training pairs: retraining the same gives the same version.</summary>
    public static string ComputeVersion(string task, SummaryConfig config, IReadOnlyList<SummaryPair> pairs)
    {
        var text = new StringBuilder();
        text.Append(task).Append('|').Append(JsonSerializer.Serialize(config)).Append('|').Append(FeaturizerDescription).Append('|');
        foreach (var p in pairs)
        {
            text.Append(p.Id).Append('\t').Append(p.Summary).Append('\t').Append(p.HubTitle).Append('\t').Append(p.HubAbstract)
                .Append('\t').Append(p.HubTier).Append('\t').Append(SummaryTrainer.Gold(p, task)).Append('\n');
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return $"summary-{task}-{hash[..12]}";
    }

    /// <summary>Writes <c>manifest.json</c> from the sentence models' <c>metrics.json</c> and the summary models' report.</summary>
    public static ModelManifest WriteManifest(string modelsDir)
    {
        var metrics = MetricsFile.Load(Path.Combine(modelsDir, MetricsFile.FileName));
        var summary = SummaryMetricsFile.Load(Path.Combine(modelsDir, SummaryMetricsFile.FileName));
        var served = new List<ServedModel>();
        foreach (var task in new[] { "role", "polarity" })
        {
            var s = summary.Models[task];
            served.Add(new ServedModel
            {
                Task = task,
                TextKind = "summary",
                File = s.File,
                Version = s.Version,
                Labels = s.Labels,
                Biases = s.Biases,
                Temperature = s.Temperature,
                Test = s.Test is null ? [] : [new TestFigure { Corpus = "summaries", Examples = s.Test.N, MacroF1 = s.Test.MacroF1, Accuracy = s.Test.Accuracy, Ece = s.TestEce }],
            });
            var m = metrics.Production[task];
            served.Add(new ServedModel
            {
                Task = task,
                TextKind = "citation_sentence",
                File = m.File,
                Version = m.Version,
                Labels = m.Labels,
                Biases = m.Biases,
                Test = [.. m.Test.Select(t => new TestFigure { Corpus = t.Key, Examples = t.Value.N, MacroF1 = t.Value.MacroF1, Accuracy = t.Value.Accuracy })],
            });
        }
        var manifest = new ModelManifest { Models = served };
        manifest.Save(Path.Combine(modelsDir, ModelManifest.FileName));
        return manifest;
    }
}
