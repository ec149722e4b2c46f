using System.Text;
using CitationService.Classification.Summaries;
using CitationService.Classification.Training;
using CitationService.Core.Pages;

namespace CitationService.Cli;

/// <summary>
/// <c>citations summaries propose</c>: writes the candidate (hub, summary) pairs of the summary corpus, unlabelled,
/// and annotation sheets people read to label them (docs/ANNOTATION.md). Labels never come from this program.
/// </summary>
internal static class SummariesCommand
{
    public static int Propose(string sciTldrDir, string actTestPath, string seedsDir, string outDir, int sheetSize)
    {
        Directory.CreateDirectory(outDir);
        var pairs = SeedPairs(seedsDir).Concat(PairProposer.Propose(sciTldrDir, new PairProposer.Settings())).Concat(PairProposer.ProposeAct(actTestPath)).ToList();
        SummaryCorpus.WriteCandidates(outDir, pairs);

        // Sheets hold only pairs that no first-pass label file covers yet, numbered after the labelled sheets.
        var firstPass = Path.Combine(outDir, "labels", "first");
        var labelled = SummaryCorpus.LabelledIds(outDir, pairs);
        var sheet = Directory.Exists(firstPass) ? Directory.GetFiles(firstPass, "*.tsv").Length : 0;
        var sheets = Path.Combine(outDir, "sheets");
        if (Directory.Exists(sheets))
        {
            Directory.Delete(sheets, recursive: true);
        }
        Directory.CreateDirectory(sheets);
        var groups = pairs.Where(p => !labelled.Contains(p.Id)).GroupBy(p => p.HubKey).ToList();
        var firstSheet = sheet + 1;
        var current = new List<IGrouping<string, SummaryPair>>();
        foreach (var group in groups)
        {
            current.Add(group);
            if (current.Sum(g => g.Count()) >= sheetSize)
            {
                WriteSheet(sheets, ++sheet, current);
                current = [];
            }
        }
        if (current.Count > 0)
        {
            WriteSheet(sheets, ++sheet, current);
        }
        foreach (var split in pairs.GroupBy(p => p.Split))
        {
            Console.WriteLine($"{split.Key}: {split.Count()} pairs over {split.Select(p => p.HubKey).Distinct().Count()} hubs");
        }
        Console.WriteLine(sheet >= firstSheet
            ? $"{pairs.Count} candidate pairs, {labelled.Count} labelled; sheets {firstSheet}..{sheet} in {sheets} hold the rest"
            : $"{pairs.Count} candidate pairs, all labelled");
        return 0;
    }

    /// <summary><c>citations summaries build</c>: joins candidates and first-pass labels into pairs.jsonl; prints counts and agreement.</summary>
    public static int Build(string dataDir)
    {
        var (pairs, unlabelled, sameWork) = SummaryCorpus.Build(dataDir);
        SummaryCorpus.Write(dataDir, pairs);
        Console.WriteLine($"{pairs.Count} labelled pairs over {pairs.Select(p => p.HubKey).Distinct().Count()} hubs written to {Path.Combine(dataDir, SummaryCorpus.Folder, SummaryCorpus.PairsFile)}");
        Console.WriteLine($"left out: {unlabelled} candidates without a label, {sameWork} pairs whose citing paper is the hub itself");
        Console.WriteLine();
        Console.WriteLine("| split | pairs | hubs | " + string.Join(" | ", SummaryCorpus.Roles) + " | " + string.Join(" | ", SummaryCorpus.Polarities) + " |");
        Console.WriteLine("|---|---|---|" + string.Concat(Enumerable.Repeat("---|", SummaryCorpus.Roles.Count + SummaryCorpus.Polarities.Count)));
        foreach (var (split, rows) in new[] { "train", "dev", "test" }.Select(s => (s, pairs.Where(p => p.Split == s).ToList())).Append(("all", pairs.ToList())))
        {
            Console.WriteLine($"| {split} | {rows.Count} | {rows.Select(p => p.HubKey).Distinct().Count()} | "
                + string.Join(" | ", SummaryCorpus.Roles.Select(r => rows.Count(p => p.Role == r))) + " | "
                + string.Join(" | ", SummaryCorpus.Polarities.Select(r => rows.Count(p => p.Polarity == r))) + " |");
        }
        Console.WriteLine();
        foreach (var (source, rows) in pairs.GroupBy(p => p.Id.Split('-')[0]).Select(g => (g.Key, g.ToList())))
        {
            Console.WriteLine($"source {source}: {rows.Count} pairs over {rows.Select(p => p.HubKey).Distinct().Count()} hubs");
        }
        var (role, polarity) = SummaryCorpus.MeasureAgreement(dataDir);
        Console.WriteLine();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"second blind pass on {role.Items} pairs: role agreement {role.Observed:F3}, Cohen's kappa {role.Kappa:F3}; polarity agreement {polarity.Observed:F3}, Cohen's kappa {polarity.Kappa:F3}"));
        return 0;
    }

    /// <summary>
    /// <c>citations summaries tune</c>: cross-validated (5 folds grouped by hub, train + dev) macro-F1 of a grid of
    /// summary-model settings; the test split is not read.
    /// </summary>
    public static int Tune(string dataDir, string task, bool shippedOnly, float[] sentenceWeights)
    {
        var corpus = SummaryCorpus.Load(dataDir);
        Console.WriteLine($"task {task}: 5-fold CV grouped by hub over train + dev; macro-F1 over the classes present in the one-line summaries, after the per-class biases and the temperature fitted on the same out-of-fold predictions (as `citations train` does)");
        var shipped = task == "role" ? SummaryTrainingRunner.RoleConfig : SummaryTrainingRunner.PolarityConfig;
        var sentences = sentenceWeights.Any(w => w > 0) ? SummaryTrainer.SentenceRows(dataDir, task) : [];
        foreach (var useHub in shippedOnly ? [shipped.UseHub] : new[] { true, false })
        {
            foreach (var useAct in shippedOnly ? [shipped.UseAct] : new[] { true, false })
            {
                foreach (var l2 in shippedOnly ? [shipped.L2] : new[] { 1e-2f, 1e-1f, 1f })
                {
                    foreach (var (power, sentenceWeight) in (shippedOnly ? [shipped.WeightPower] : new[] { 0.0, 0.5, 1.0 }).SelectMany(p => sentenceWeights.Select(w => (p, w))))
                    {
                        var sw = System.Diagnostics.Stopwatch.StartNew();
                        var config = shipped with { L2 = l2, WeightPower = power, UseHub = useHub, UseAct = useAct, SentenceWeight = sentenceWeight };
                        var cv = SummaryTrainer.CrossValidate(SummaryTrainer.TrainingPairs(corpus, config), task, config, sentences);
                        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"hub={useHub,-5} act={useAct,-5} l2={l2,-6} power={power:F1} sentences={sentenceWeight:F2}  macro-F1 {cv.Eval.MacroF1:F3} (acc {cv.Eval.Accuracy:F3}, ECE {cv.Ece:F3})  [{sw.Elapsed.TotalSeconds:F0}s]  {string.Join(" ", cv.Eval.PerClass.Where(c => c.Support > 0).Select(c => $"{c.Label}:{c.F1:F2}/{c.Support}"))}"));
                    }
                }
            }
        }
        return 0;
    }

    /// <summary>A sheet shows each hub once, then its candidate summaries, each with its pair id.</summary>
    private static void WriteSheet(string dir, int number, List<IGrouping<string, SummaryPair>> hubs)
    {
        var text = new StringBuilder();
        foreach (var hub in hubs)
        {
            var first = hub.First();
            text.AppendLine("==================== HUB ====================");
            text.AppendLine($"HUB TITLE: {first.HubTitle}");
            if (first.HubTier.Length > 0)
            {
                text.AppendLine($"HUB TIER: {first.HubTier}");
            }
            text.AppendLine($"HUB ABSTRACT: {first.HubAbstract}");
            text.AppendLine();
            foreach (var pair in hub)
            {
                text.AppendLine($"[{pair.Id}]");
                text.AppendLine($"  citing title: {pair.CitingTitle}");
                if (pair.Context.Length > 0)
                {
                    text.AppendLine($"  (no summary: the citing title stands in for it)");
                    text.AppendLine($"  citation context (#AUTHOR_TAG marks the hub): {pair.Context}");
                }
                else
                {
                    text.AppendLine($"  summary: {pair.Summary}");
                }
            }
            text.AppendLine();
        }
        File.WriteAllText(Path.Combine(dir, $"sheet-{number:D2}.txt"), text.ToString());
    }

    /// <summary>Every citing paper with a summary on the seed pages: real Pith (hub, citing paper) pairs.</summary>
    private static IEnumerable<SummaryPair> SeedPairs(string seedsDir)
    {
        foreach (var file in Directory.GetFiles(seedsDir, "*.txt").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var page = HubPageParser.Parse(File.ReadAllText(file));
            // The project's seed hub is scored, never trained on: it is the page users see first.
            var split = name.StartsWith("000_", StringComparison.Ordinal) ? "test" : "train";
            foreach (var (paper, index) in page.CitingPapers.Select((p, i) => (p, i)))
            {
                if (string.IsNullOrWhiteSpace(paper.Summary))
                {
                    continue;
                }
                yield return new SummaryPair
                {
                    Id = $"seed-{Path.GetFileNameWithoutExtension(name)}-{index:D3}",
                    HubKey = "seed:" + name,
                    HubTitle = page.Title,
                    HubAbstract = page.Abstract,
                    HubTier = page.TierLabel,
                    CitingTitle = paper.Title,
                    Summary = paper.Summary!,
                    Source = $"seeds/{name}, citing paper {index + 1} in page order",
                    Split = split,
                };
            }
        }
    }
}
