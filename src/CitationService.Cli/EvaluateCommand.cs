using System.Globalization;
using System.Text;
using CitationService.Classification;
using CitationService.Classification.Data;
using CitationService.Classification.Reports;
using CitationService.Classification.Runtime;
using CitationService.Classification.Training;

namespace CitationService.Cli;

/// <summary>`citations evaluate`: scores the COMMITTED models (models/*.zip, models/benchmarks/*.zip) on each test split.</summary>
internal static class EvaluateCommand
{
    private static readonly Dictionary<string, string> Published = new()
    {
        [Corpora.SciCite] = "macro-F1: feature-based RF 82.6, structural scaffolds 84.0, SciBERT 85.5",
        [Corpora.AclArc] = "macro-F1: Jurgens et al. 2018 54.6, structural scaffolds 67.9, SciBERT 71.0",
        [Corpora.Act] = "macro-F1: 3C shared-task entries about 20-30 (different, re-extracted test contexts)",
        [Corpora.Athar] = "macro-F1: SciBERT (DeLFT) about 56-59 on a grouped split (not this exact split)",
    };

    private static readonly Dictionary<string, string> ShortPublished = new()
    {
        [Corpora.SciCite] = "RF 82.6 / scaffolds 84.0 / SciBERT 85.5",
        [Corpora.AclArc] = "Jurgens 54.6 / scaffolds 67.9 / SciBERT 71.0",
        [Corpora.Act] = "3C entries ~20-30",
        [Corpora.Athar] = "SciBERT ~56-59 (grouped split)",
    };

    public static int Run(string data, string models, string seeds, int seedExamples = 8)
    {
        var metricsPath = Path.Combine(models, MetricsFile.FileName);
        if (!File.Exists(metricsPath))
        {
            Console.Error.WriteLine($"{metricsPath} is missing: run `citations train` first.");
            return 1;
        }
        var metrics = MetricsFile.Load(metricsPath);
        var set = CorpusSet.Load(data);
        var mismatches = 0;
        var sb = new StringBuilder();
        var summary = new List<string>();
        void Summarize(string what, string corpus, EvalResult r, double? dev, EvalResult? unseen, string published) =>
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {what,-26} {corpus,-9} {100 * (dev ?? 0),7:F1} {100 * r.MacroF1,8:F1} {100 * r.Accuracy,8:F1} {r.N,6}  ")
                + (unseen is null
                    ? string.Create(CultureInfo.InvariantCulture, $"{"-",8} {"-",8} {"-",6}")
                    : string.Create(CultureInfo.InvariantCulture, $"{100 * unseen.MacroF1,8:F1} {100 * unseen.Accuracy,8:F1} {unseen.N,6}"))
                + $"   {published}");

        sb.AppendLine("CitationService classifiers: test-split evaluation of the committed models");
        sb.AppendLine(CultureInfo.InvariantCulture, $"models: {models}   ML.NET {metrics.MlNetVersion}");
        sb.AppendLine();
        sb.AppendLine("== 1. Benchmarks, each corpus in its OWN label set ==");
        sb.AppendLine("Trained on the official train split as released (de-duplicated, conflicting-label texts dropped), as in the");
        sb.AppendLine("published set-ups: (a) the full official test split, comparable with published figures; (b) 'unseen' = the test");
        sb.AppendLine("rows whose cleaned text is not among the training texts, the honest generalisation figure.");
        foreach (var name in new[] { Corpora.SciCite, Corpora.AclArc, Corpora.Act, Corpora.Athar })
        {
            if (!metrics.Benchmarks.TryGetValue(name, out var entry))
            {
                continue;
            }
            var corpus = set.Get(name);
            var model = TextModel.Load(Path.Combine(models, entry.File), name == Corpora.Athar ? metrics.Production["polarity"].Biases : entry.Biases);
            EvalResult Score(IReadOnlyList<LabeledText> rows) => name == Corpora.Athar
                ? TrainingRunner.AtharOwn(model, rows)
                : ModelTrainer.Evaluate(model, rows, corpus.Labels);
            var train = TrainingRunner.BenchmarkTrain(set, name);
            var result = Score(corpus.Test);
            var unseen = Score(TrainingRunner.Unseen(corpus.Test, train));
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"--- {name} test (n={result.N}; {corpus.Report.TestSource})   model {entry.Version} ({entry.File}), {train.Count} train rows ---");
            sb.AppendLine(CultureInfo.InvariantCulture, $"(a) full test:   macro-F1 {100 * result.MacroF1:F1}   accuracy {100 * result.Accuracy:F1}   (dev macro-F1 {100 * (entry.Dev?.MacroF1 ?? 0):F1})");
            sb.AppendLine(CultureInfo.InvariantCulture, $"(b) unseen test: macro-F1 {100 * unseen.MacroF1:F1}   accuracy {100 * unseen.Accuracy:F1}   (n={unseen.N}; {result.N - unseen.N} test rows repeat a train text)");
            sb.AppendLine(CultureInfo.InvariantCulture, $"published {Published[name]}");
            if (name == Corpora.Athar)
            {
                sb.AppendLine("(Athar has no official split: the model is the production polarity model, trained without any dev/test text.)");
            }
            mismatches += Check(sb, entry.Test.GetValueOrDefault(name), result);
            mismatches += Check(sb, entry.TestUnseen?.GetValueOrDefault(name), unseen, required: true);
            AppendTables(sb, result);
            Summarize($"benchmark ({name} labels)", name, result, entry.Dev?.MacroF1, unseen, ShortPublished[name]);
        }

        sb.AppendLine();
        sb.AppendLine("== 2. Production models, in the service's labels ==");
        var role = metrics.Production["role"];
        var polarity = metrics.Production["polarity"];
        var roleModel = TextModel.Load(Path.Combine(models, role.File), role.Biases);
        var polarityModel = TextModel.Load(Path.Combine(models, polarity.File), polarity.Biases);
        sb.AppendLine(CultureInfo.InvariantCulture, $"role model {role.Version}: trained on [{string.Join(", ", role.Config.TrainingCorpora)}], labels [{string.Join(", ", role.Labels)}]; DATASET is never predicted (no corpus labels it).");
        sb.AppendLine("Macro-F1 averages the service classes present in that corpus's gold labels.");
        sb.AppendLine("Leakage-free: no train text of the production models occurs in any evaluated dev or test split.");
        foreach (var corpus in set.Role)
        {
            var result = TrainingRunner.RoleOn(roleModel, corpus, corpus.Test);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"--- role on {corpus.Name} test (n={result.N}) ---");
            sb.AppendLine(CultureInfo.InvariantCulture, $"macro-F1 {100 * result.MacroF1:F1}   accuracy {100 * result.Accuracy:F1}   dev macro-F1 {100 * (role.DevByCorpus.GetValueOrDefault(corpus.Name)?.MacroF1 ?? 0):F1}");
            mismatches += Check(sb, role.Test.GetValueOrDefault(corpus.Name), result);
            AppendTables(sb, result);
            Summarize("production role", corpus.Name, result, role.DevByCorpus.GetValueOrDefault(corpus.Name)?.MacroF1, null, "");
        }
        {
            var result = ModelTrainer.Evaluate(polarityModel, LabelMaps.Map(set.Athar.Test, LabelMaps.ToPolarity), LabelMaps.PolarityLabels);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"--- polarity {polarity.Version} on athar test (n={result.N}) ---");
            sb.AppendLine(CultureInfo.InvariantCulture, $"macro-F1 {100 * result.MacroF1:F1}   accuracy {100 * result.Accuracy:F1}   dev macro-F1 {100 * (polarity.Dev?.MacroF1 ?? 0):F1}");
            mismatches += Check(sb, polarity.Test.GetValueOrDefault(Corpora.Athar), result);
            AppendTables(sb, result);
            Summarize("production polarity", Corpora.Athar, result, polarity.Dev?.MacroF1, null, "");
        }
        sb.AppendLine();
        sb.AppendLine("== Summary (macro-F1 and accuracy in %; dev = after the dev-tuned biases; unseen = test rows not in train) ==");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {"model",-26} {"corpus",-9} {"dev F1",7} {"test F1",8} {"test acc",8} {"n",6}  {"unsn F1",8} {"unsn acc",8} {"n",6}   published test macro-F1");
        summary.ForEach(line => sb.AppendLine(line));
        sb.AppendLine();
        sb.AppendLine(mismatches == 0
            ? "All figures match models/metrics.json."
            : $"WARNING: {mismatches} figure(s) differ from models/metrics.json (models and metrics out of sync?).");
        sb.AppendLine("Note: Athar's licence is not stated (internal evaluation only); ACL-ARC/SciCite data licences are not stated either (see data/README.md).");

        var classifier = ModelCitationClassifier.Load(models);
        mismatches += AppendSummaries(sb, data, models, classifier);

        sb.AppendLine();
        sb.AppendLine("== 4. Seed summaries: what the hub-aware summary models make of the seed pages ==");
        if (Directory.Exists(seeds))
        {
            sb.Append(SeedReport.Build(seeds, classifier).Format(seedExamples));
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"(no seed folder at {seeds})");
        }
        Console.Write(sb.ToString());
        // Figures that differ from metrics.json mean the committed models and their report disagree.
        return mismatches == 0 ? 0 : 2;
    }

    /// <summary>Section 3: the summary test split, the hub-aware models against their baselines.</summary>
    private static int AppendSummaries(StringBuilder sb, string data, string models, ModelCitationClassifier classifier)
    {
        var mismatches = 0;
        var report = SummaryMetricsFile.Load(Path.Combine(models, SummaryMetricsFile.FileName));
        var corpus = Classification.Summaries.SummaryCorpus.Load(data);
        var test = corpus.Where(p => p.Split == "test").ToList();
        sb.AppendLine();
        sb.AppendLine("== 3. One-line summaries with their hub (data/summaries, the service's own task) ==");
        sb.AppendLine(CultureInfo.InvariantCulture, $"test split: {test.Count} pairs over {test.Select(p => p.HubKey).Distinct().Count()} hubs, no hub in another split; scored once. Macro-F1 averages the classes present in the test labels.");
        foreach (var (task, config) in new[] { ("role", SummaryTrainingRunner.RoleConfig), ("polarity", SummaryTrainingRunner.PolarityConfig) })
        {
            var entry = report.Models[task];
            var results = SummaryEvaluation.Compare(corpus, task, classifier, config, config.SentenceWeight > 0 ? SummaryTrainer.SentenceRows(data, task) : []);
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"--- summary {task} (model {entry.Version}; cross-validated on train + dev: macro-F1 {100 * (entry.CrossValidated?.MacroF1 ?? 0):F1}, ECE {entry.CrossValidatedEce:F3}) ---");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {"model",-26} {"macro-F1",8} {"accuracy",8} {"ECE",6}  note");
            foreach (var r in results)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {r.Name,-26} {100 * r.Eval.MacroF1,8:F1} {100 * r.Eval.Accuracy,8:F1} {(r.Ece is { } e ? e.ToString("F3", CultureInfo.InvariantCulture) : "-"),6}  {r.Note}");
            }
            var shipped = results[^1];
            mismatches += Check(sb, entry.Test, shipped.Eval, required: true);
            sb.AppendLine("  hub-aware summary model, per class:");
            AppendTables(sb, shipped.Eval);
        }

        // The seed pages are real Pith pairs; their labels are in the corpus (the NPO hub is in the test split).
        sb.AppendLine();
        sb.AppendLine("--- the seed pages' summaries: the service's labels against the annotators' ---");
        foreach (var hub in corpus.Where(p => p.Id.StartsWith("seed-", StringComparison.Ordinal)).GroupBy(p => p.HubKey))
        {
            var text = hub.First().ToHubText();
            var roles = hub.Select(p => classifier.ClassifyRole(Core.Classification.CitationText.Summary(p.Summary, text)).Label.ToString().ToUpperInvariant()).ToList();
            var polarities = hub.Select(p => classifier.ClassifyPolarity(Core.Classification.CitationText.Summary(p.Summary, text)).Label.ToString().ToUpperInvariant()).ToList();
            string Counts(IEnumerable<string> labels) => string.Join(", ", labels.GroupBy(l => l).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {hub.Key} ({hub.Count()} summaries, {hub.First().Split} split)");
            sb.AppendLine(CultureInfo.InvariantCulture, $"    role: service {Counts(roles)}; annotators {Counts(hub.Select(p => p.Role))}; same label for {hub.Zip(roles).Count(x => x.First.Role == x.Second)}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"    polarity: service {Counts(polarities)}; annotators {Counts(hub.Select(p => p.Polarity))}; same label for {hub.Zip(polarities).Count(x => x.First.Polarity == x.Second)}");
        }
        return mismatches;
    }

    private static int Check(StringBuilder sb, EvalSummary? recorded, EvalResult result, bool required = false)
    {
        if (recorded is null)
        {
            if (required)
            {
                sb.AppendLine("  (metrics.json has no figure for this evaluation: MISMATCH)");
            }
            return required ? 1 : 0;
        }
        var same = Math.Abs(recorded.MacroF1 - Math.Round(result.MacroF1, 4)) < 1e-9 && Math.Abs(recorded.Accuracy - Math.Round(result.Accuracy, 4)) < 1e-9;
        if (!same)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  (metrics.json records macro-F1 {recorded.MacroF1:F4}, accuracy {recorded.Accuracy:F4}: MISMATCH)");
        }
        return same ? 0 : 1;
    }

    private static void AppendTables(StringBuilder sb, EvalResult r)
    {
        var w = Math.Max(10, r.Labels.Max(l => l.Length) + 1);
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {"class".PadRight(w)} {"P",6} {"R",6} {"F1",6} {"n",6}");
        foreach (var c in r.PerClass)
        {
            if (c.Support == 0 && !r.MacroLabels.Contains(c.Label) && r.Confusion.All(row => row[r.Labels.ToList().IndexOf(c.Label)] == 0))
            {
                continue;
            }
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {c.Label.PadRight(w)} {100 * c.Precision,6:F1} {100 * c.Recall,6:F1} {100 * c.F1,6:F1} {c.Support,6}");
        }
        sb.AppendLine("  confusion (rows gold, columns predicted):");
        var cw = Math.Max(6, r.Labels.Max(l => Math.Min(l.Length, 10)) + 1);
        sb.Append("  ").Append(new string(' ', w));
        foreach (var l in r.Labels)
        {
            sb.Append((l.Length > 10 ? l[..10] : l).PadLeft(cw));
        }
        sb.AppendLine();
        for (var i = 0; i < r.Labels.Count; i++)
        {
            sb.Append("  ").Append(r.Labels[i].PadRight(w));
            foreach (var v in r.Confusion[i])
            {
                sb.Append(v.ToString(CultureInfo.InvariantCulture).PadLeft(cw));
            }
            sb.AppendLine();
        }
    }
}
