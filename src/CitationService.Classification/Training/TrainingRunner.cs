using System.Diagnostics;
using System.Globalization;
using CitationService.Classification.Data;
using CitationService.Classification.Runtime;

namespace CitationService.Classification.Training;

/// <summary>
/// The model configurations, chosen on dev splits only with <c>citations tune</c> (see models/README.md for the grid):
/// SdcaMaximumEntropy beat LbfgsMaximumEntropy on every dev split; n-grams seen in a single training text are
/// dropped (MinCount 2: same dev figures, half the training time and model size); inverse-frequency weights.
/// </summary>
public static class ModelConfigs
{
    private static readonly PipelineConfig Base = new() { Trainer = "sdca", L2 = 1e-4f, WeightPower = 1.0, MinCount = 2 };

    public static PipelineConfig SciCite { get; } = Base with { L2 = 1e-5f, TrainingCorpora = [Corpora.SciCite] };
    public static PipelineConfig AclArc { get; } = Base with { TrainingCorpora = [Corpora.AclArc] };
    public static PipelineConfig Act { get; } = Base with { TrainingCorpora = [Corpora.Act] };
    public static PipelineConfig Polarity { get; } = Base with { TrainingCorpora = [Corpora.Athar] };

    /// <summary>
    /// ACL-ARC + SciCite, corpus weights (N / (G · n_corpus))^0.5 so that ACL-ARC is not drowned by SciCite.
    /// ACT/3C left out: on dev it lowered ACL-ARC (0.474 → 0.366) and SciCite (0.813 → 0.781) macro-F1 in service labels.
    /// L2 1e-5 (dev: ACL-ARC 0.486, SciCite 0.817) over 3e-5 (0.474, 0.813); corpus-weight power 0.5 over 0 and 0.75/1.
    /// </summary>
    public static PipelineConfig Role { get; } = Base with { L2 = 1e-5f, GroupWeightPower = 0.5, TrainingCorpora = [Corpora.AclArc, Corpora.SciCite] };
}

/// <summary>All prepared corpora.</summary>
public sealed record CorpusSet(CorpusSplits SciCite, CorpusSplits AclArc, CorpusSplits Act, CorpusSplits Athar)
{
    public static CorpusSet Load(string dataDir) => new(
        Corpora.LoadSciCite(dataDir), Corpora.LoadAclArc(dataDir), Corpora.LoadAct(dataDir), Corpora.LoadAthar(dataDir));

    public IEnumerable<CorpusSplits> Role => [AclArc, SciCite, Act];

    public CorpusSplits Get(string name) => name switch
    {
        Corpora.SciCite => SciCite,
        Corpora.AclArc => AclArc,
        Corpora.Act => Act,
        Corpora.Athar => Athar,
        _ => throw new ArgumentException(name),
    };
}

/// <summary>`citations train`: trains benchmark and production models and writes models/ + metrics.json.</summary>
public static class TrainingRunner
{
    public const string RoleFile = "role.zip";
    public const string PolarityFile = "polarity.zip";
    public const string BenchmarkDir = "benchmarks";

    public static string MlNetVersion => typeof(Microsoft.ML.MLContext).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public const string PreprocessingNote =
        "TextPreprocessor.Clean: strip @@CITATION/#AUTHOR_TAG, numeric [..]/(..) and parenthesised author-year citations; space out punctuation; collapse whitespace; cap 1000 chars. Train: conflicting-label texts dropped, exact duplicates removed; production models also drop train texts found in any dev/test split (see trainingProtocol); Athar rows > 1000 raw chars dropped.";

    public const string OfficialProtocol =
        "official train split as released (cleaned; conflicting-label texts and exact duplicates removed); test texts that also occur in train are kept, as in the published set-ups. testUnseen = test rows whose cleaned text is not among the training texts.";

    public const string LeakFreeProtocol =
        "leakage-free: train texts that also occur in the dev or test split of any corpus the model is evaluated on are dropped; conflicting-label texts and exact duplicates removed.";

    public const string AtharProtocol =
        "Athar has no official split: train = the grouped train split minus texts found in its dev/test (the production polarity model), so every test row is unseen.";

    /// <summary>The train rows of a benchmark model: the official train split; Athar: the production polarity model's rows.</summary>
    public static IReadOnlyList<LabeledText> BenchmarkTrain(CorpusSet set, string name) =>
        name == Corpora.Athar ? set.Athar.Train : set.Get(name).OfficialTrain;

    /// <summary>Rows of <paramref name="test"/> whose cleaned text is not among <paramref name="train"/>'s texts.</summary>
    public static List<LabeledText> Unseen(IReadOnlyList<LabeledText> test, IReadOnlyList<LabeledText> train)
    {
        var seen = train.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        return [.. test.Where(r => !seen.Contains(r.Text))];
    }

    /// <summary>Role training data: the mapped train splits of <paramref name="corpora"/>, de-duplicated across corpora, minus every dev/test text.</summary>
    public static (List<LabeledText> Train, List<LabeledText> Dev) RoleData(CorpusSet set, IReadOnlyList<string> corpora)
    {
        var heldOut = set.Role.SelectMany(c => c.Dev.Concat(c.Test)).Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        var train = new List<LabeledText>();
        var dev = new List<LabeledText>();
        foreach (var c in set.Role.Where(c => corpora.Contains(c.Name)))
        {
            // Group = source corpus (for optional per-corpus weighting).
            train.AddRange(LabelMaps.Map(c.Train, l => LabelMaps.ToRole(c.Name, l)).Where(r => !heldOut.Contains(r.Text)).Select(r => r with { Group = c.Name }));
            dev.AddRange(LabelMaps.Map(c.Dev, l => LabelMaps.ToRole(c.Name, l)));
        }
        var (rows, _, _) = Corpora.Deduplicate(train);
        return (rows, dev);
    }

    public static (List<LabeledText> Train, List<LabeledText> Dev) PolarityData(CorpusSet set) =>
        (LabelMaps.Map(set.Athar.Train, LabelMaps.ToPolarity), LabelMaps.Map(set.Athar.Dev, LabelMaps.ToPolarity));

    public static TrainedModel TrainRole(CorpusSet set, PipelineConfig config, Action<string>? log)
    {
        var (train, dev) = RoleData(set, config.TrainingCorpora);
        return ModelTrainer.Train("role", config, LabelMaps.RoleLabels, train, dev, log);
    }

    public static TrainedModel TrainPolarity(CorpusSet set, PipelineConfig config, Action<string>? log)
    {
        var (train, dev) = PolarityData(set);
        return ModelTrainer.Train("polarity", config, LabelMaps.PolarityLabels, train, dev, log);
    }

    /// <summary>Production role model scored on one corpus split in the service's labels (macro over the gold classes present).</summary>
    public static EvalResult RoleOn(TextModel role, CorpusSplits corpus, IReadOnlyList<LabeledText> split)
    {
        var mapped = LabelMaps.Map(split, l => LabelMaps.ToRole(corpus.Name, l));
        var present = LabelMaps.RoleLabels.Where(l => mapped.Any(r => r.Label == l)).ToList();
        return ModelTrainer.Evaluate(role, mapped, LabelMaps.RoleLabels, null, present);
    }

    /// <summary>Polarity model scored on an Athar split in Athar's own labels (p/o/n).</summary>
    public static EvalResult AtharOwn(TextModel polarity, IReadOnlyList<LabeledText> split) =>
        ModelTrainer.Evaluate(polarity, split, Corpora.AtharLabels, LabelMaps.FromPolarity);

    public static MetricsFile Run(string dataDir, string modelsDir, Action<string> log)
    {
        var total = Stopwatch.StartNew();
        var set = CorpusSet.Load(dataDir);
        Directory.CreateDirectory(Path.Combine(modelsDir, BenchmarkDir));
        var benchmarks = new Dictionary<string, ModelEntry>();

        foreach (var (corpus, config) in new[] { (set.SciCite, ModelConfigs.SciCite), (set.AclArc, ModelConfigs.AclArc), (set.Act, ModelConfigs.Act) })
        {
            log($"Training benchmark {corpus.Name} ...");
            var train = BenchmarkTrain(set, corpus.Name);
            var trained = ModelTrainer.Train(corpus.Name, config, corpus.Labels, train, corpus.Dev, log);
            var file = $"{BenchmarkDir}/{corpus.Name}.zip";
            trained.Model.Save(Path.Combine(modelsDir, file));
            var test = ModelTrainer.Evaluate(trained.Model, corpus.Test, corpus.Labels);
            var unseen = ModelTrainer.Evaluate(trained.Model, Unseen(corpus.Test, train), corpus.Labels);
            log(Line(corpus.Name, "test", test));
            log(Line(corpus.Name, "test unseen", unseen));
            benchmarks[corpus.Name] = new ModelEntry
            {
                Version = trained.Version,
                File = file,
                Labels = corpus.Labels,
                Biases = new(trained.Biases),
                Config = config,
                Data = new() { [corpus.Name] = corpus.Report },
                TrainRows = train.Count,
                DevRows = corpus.Dev.Count,
                DevWithoutBiases = EvalSummary.From(trained.DevWithoutBiases),
                Dev = EvalSummary.From(trained.Dev),
                Test = new() { [corpus.Name] = EvalSummary.From(test) },
                TestUnseen = new() { [corpus.Name] = EvalSummary.From(unseen) },
                TrainingProtocol = OfficialProtocol,
            };
        }

        var (roleEntry, polarityEntry, atharEntry) = TrainProduction(set, modelsDir, log);
        benchmarks[Corpora.Athar] = atharEntry;

        var metrics = new MetricsFile
        {
            MlNetVersion = MlNetVersion,
            Preprocessing = PreprocessingNote,
            Production = new() { ["role"] = roleEntry, ["polarity"] = polarityEntry },
            Benchmarks = benchmarks,
            Notes =
            [
                "Hyper-parameters and per-class biases chosen on dev splits only; each test split scored once.",
                "Benchmarks (own label sets) train on the official train split as released, so their test figures are comparable with published ones; testUnseen scores only test rows whose text is not in train. Production models stay leakage-free (no train text from any dev/test split).",
                "Athar (citation sentiment) licence is NOT stated: internal training/evaluation with attribution only.",
            ],
        };
        metrics.Save(Path.Combine(modelsDir, MetricsFile.FileName));
        log(string.Create(CultureInfo.InvariantCulture, $"Done in {total.Elapsed.TotalSeconds:F1}s; wrote {Path.Combine(modelsDir, MetricsFile.FileName)}"));
        return metrics;
    }

    /// <summary>Trains the production polarity and role models into <paramref name="modelsDir"/>; returns their metrics entries and the Athar benchmark entry.</summary>
    public static (ModelEntry Role, ModelEntry Polarity, ModelEntry AtharBenchmark) TrainProduction(CorpusSet set, string modelsDir, Action<string> log)
    {
        Directory.CreateDirectory(modelsDir);
        log("Training production polarity model (Athar) ...");
        var polarity = TrainPolarity(set, ModelConfigs.Polarity, log);
        polarity.Model.Save(Path.Combine(modelsDir, PolarityFile));
        var polarityTest = ModelTrainer.Evaluate(polarity.Model, LabelMaps.Map(set.Athar.Test, LabelMaps.ToPolarity), LabelMaps.PolarityLabels);
        log(Line("polarity", "athar test", polarityTest));
        var atharTestOwn = AtharOwn(polarity.Model, set.Athar.Test);
        var polarityEntry = new ModelEntry
        {
            Version = polarity.Version,
            File = PolarityFile,
            Labels = LabelMaps.PolarityLabels,
            Biases = new(polarity.Biases),
            Config = ModelConfigs.Polarity,
            Data = new() { [Corpora.Athar] = set.Athar.Report },
            TrainRows = set.Athar.Train.Count,
            DevRows = set.Athar.Dev.Count,
            DevWithoutBiases = EvalSummary.From(polarity.DevWithoutBiases),
            Dev = EvalSummary.From(polarity.Dev),
            DevByCorpus = new() { [Corpora.Athar] = EvalSummary.From(polarity.Dev) },
            Test = new() { [Corpora.Athar] = EvalSummary.From(polarityTest) },
            TrainingProtocol = LeakFreeProtocol,
            Notes = "Athar p/o/n mapped to Supporting/Neutral/Contrasting. The Athar benchmark is this same model read in p/o/n.",
        };
        var atharEntry = polarityEntry with
        {
            Labels = Corpora.AtharLabels,
            Biases = polarity.Biases.ToDictionary(kv => LabelMaps.FromPolarity(kv.Key), kv => kv.Value),
            DevWithoutBiases = EvalSummary.From(AtharOwnFromRaw(polarity, set.Athar.Dev, withBiases: false)),
            Dev = EvalSummary.From(AtharOwn(polarity.Model, set.Athar.Dev)),
            DevByCorpus = [],
            Test = new() { [Corpora.Athar] = EvalSummary.From(atharTestOwn) },
            TestUnseen = new() { [Corpora.Athar] = EvalSummary.From(AtharOwn(polarity.Model, Unseen(set.Athar.Test, set.Athar.Train))) },
            TrainingProtocol = AtharProtocol,
            Notes = "Same model as production polarity.zip; labels p/o/n.",
        };

        log("Training production role model ...");
        var role = TrainRole(set, ModelConfigs.Role, log);
        role.Model.Save(Path.Combine(modelsDir, RoleFile));
        var (roleTrain, roleDev) = RoleData(set, ModelConfigs.Role.TrainingCorpora);
        var roleEntry = new ModelEntry
        {
            Version = role.Version,
            File = RoleFile,
            Labels = LabelMaps.RoleLabels,
            Biases = new(role.Biases),
            Config = ModelConfigs.Role,
            Data = set.Role.ToDictionary(c => c.Name, c => c.Report),
            TrainRows = roleTrain.Count,
            DevRows = roleDev.Count,
            DevWithoutBiases = EvalSummary.From(role.DevWithoutBiases),
            Dev = EvalSummary.From(role.Dev),
            DevByCorpus = set.Role.ToDictionary(c => c.Name, c => EvalSummary.From(RoleOn(role.Model, c, c.Dev))),
            Test = set.Role.ToDictionary(c => c.Name, c => EvalSummary.From(RoleOn(role.Model, c, c.Test))),
            TrainingProtocol = LeakFreeProtocol,
            Notes = "Service labels; DATASET is not predicted (no corpus labels it). Per-corpus macro-F1 averages the classes present in that corpus's gold labels.",
        };
        foreach (var (name, eval) in roleEntry.Test)
        {
            log($"  role on {name} test: macro-F1 {eval.MacroF1:F3}, acc {eval.Accuracy:F3}");
        }

        return (roleEntry, polarityEntry, atharEntry);
    }

    private static EvalResult AtharOwnFromRaw(TrainedModel polarity, IReadOnlyList<LabeledText> split, bool withBiases)
    {
        var probs = withBiases ? polarity.Model.PredictCleanedBatch(split.Select(r => r.Text).ToList()) : polarity.Model.RawBatch(split.Select(r => r.Text).ToList());
        var predicted = probs.Select(p => LabelMaps.FromPolarity(polarity.Model.Labels[TextModel.ArgMax(p)])).ToList();
        return Evaluation.Score(split.Select(r => r.Label).ToList(), predicted, Corpora.AtharLabels);
    }

    public static string Line(string name, string split, EvalResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"  {name} {split}: macro-F1 {r.MacroF1:F3}, accuracy {r.Accuracy:F3} (n={r.N})");
}
