using CitationService.Classification.Runtime;
using CitationService.Classification.Summaries;
using CitationService.Core.Classification;

namespace CitationService.Classification.Training;

/// <summary>One line of the summary test comparison.</summary>
public sealed record SummaryBaselineResult(string Name, EvalResult Eval, double? Ece, string Note);

/// <summary>
/// The summary test split scored by the shipped hub-aware model and by what it must beat: the majority class, the
/// best single-keyword rule, the shipped citation-sentence models, and the same summary pipeline reading no hub.
/// Every baseline's choices (the majority class, the keyword and its class, the text-only model's settings) are
/// made on train + dev; the test split is only scored.
/// </summary>
public static class SummaryEvaluation
{
    public static IReadOnlyList<SummaryBaselineResult> Compare(
        IReadOnlyList<SummaryPair> corpus, string task, ModelCitationClassifier shipped, SummaryConfig config, IReadOnlyList<(string Text, string Label)> sentences)
    {
        var labels = SummaryTrainer.LabelsOf(task);
        var fit = corpus.Where(p => p.Split is "train" or "dev" && p.Context.Length == 0).ToList();
        var test = corpus.Where(p => p.Split == "test").ToList();
        var gold = test.Select(p => SummaryTrainer.Gold(p, task)).ToList();
        var macro = labels.Where(gold.Contains).ToList();
        EvalResult Score(IReadOnlyList<string> predicted) => Evaluation.Score(gold, predicted, labels, macro);

        var results = new List<SummaryBaselineResult>();
        var majority = fit.GroupBy(p => SummaryTrainer.Gold(p, task)).OrderByDescending(g => g.Count()).First().Key;
        results.Add(new SummaryBaselineResult("majority class", Score([.. test.Select(_ => majority)]), null, $"always {majority}"));

        var (keyword, keywordLabel) = BestKeyword(fit, task, majority);
        results.Add(new SummaryBaselineResult("single-keyword rule", Score([.. test.Select(p => HasWord(p.Summary, keyword) ? keywordLabel : majority)]), null,
            $"'{keyword}' in the summary -> {keywordLabel}, else {majority} (best on train + dev)"));

        var sentence = test.Select(p => task == "role"
            ? shipped.ClassifyRole(CitationText.Sentence(p.Summary)).Label.ToString().ToUpperInvariant()
            : shipped.ClassifyPolarity(CitationText.Sentence(p.Summary)).Label.ToString().ToUpperInvariant()).ToList();
        results.Add(new SummaryBaselineResult("citation-sentence model", Score(sentence), null, "the shipped sentence model, reading the summary"));

        var textOnlyConfig = config with { UseHub = false };
        var textOnly = SummaryTrainer.Train(SummaryTrainer.TrainingPairs(corpus, textOnlyConfig), task, textOnlyConfig, sentences);
        var (textOnlyEval, textOnlyEce) = SummaryTrainingRunner.Score(textOnly.Model, test, task, textOnlyConfig);
        results.Add(new SummaryBaselineResult("summary model, no hub", textOnlyEval, textOnlyEce, "same pipeline and settings, hub read as empty"));

        var hubAware = test.Select(p => task == "role"
            ? Probabilities(shipped.ClassifyRole(CitationText.Summary(p.Summary, p.ToHubText())).Probabilities, labels)
            : Probabilities(shipped.ClassifyPolarity(CitationText.Summary(p.Summary, p.ToHubText())).Probabilities, labels)).ToArray();
        var goldIndex = gold.Select(g => SummaryTrainer.IndexOf(labels, g)).ToArray();
        results.Add(new SummaryBaselineResult("hub-aware summary model", SummaryTrainer.Score(hubAware, goldIndex, labels),
            SummaryTrainer.ExpectedCalibrationError(hubAware, goldIndex), "shipped"));
        return results;
    }

    /// <summary>The word (seen in at least 3 summaries) and class whose rule "word present → class, else majority" scores best on <paramref name="fit"/>.</summary>
    public static (string Word, string Label) BestKeyword(IReadOnlyList<SummaryPair> fit, string task, string majority)
    {
        var labels = SummaryTrainer.LabelsOf(task);
        var gold = fit.Select(p => SummaryTrainer.Gold(p, task)).ToList();
        var macro = labels.Where(gold.Contains).ToList();
        var words = fit.Select(p => SummaryFeaturizer.Words(p.Summary).ToHashSet(StringComparer.Ordinal)).ToList();
        var candidates = words.SelectMany(w => w).GroupBy(w => w, StringComparer.Ordinal).Where(g => g.Count() >= 3).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var best = (Word: "", Label: majority, F1: -1.0);
        foreach (var word in candidates)
        {
            foreach (var label in labels.Where(l => l != majority))
            {
                var predicted = words.Select(w => w.Contains(word) ? label : majority).ToList();
                var f1 = Evaluation.Score(gold, predicted, labels, macro).MacroF1;
                if (f1 > best.F1)
                {
                    best = (word, label, f1);
                }
            }
        }
        return (best.Word, best.Label);
    }

    private static bool HasWord(string text, string word) => SummaryFeaturizer.Words(text).Contains(word, StringComparer.Ordinal);

    private static float[] Probabilities<T>(IReadOnlyDictionary<T, float> probabilities, IReadOnlyList<string> labels)
        where T : struct, Enum =>
        [.. labels.Select(l => probabilities.TryGetValue(Enum.Parse<T>(l, ignoreCase: true), out var p) ? p : 0f)];
}
