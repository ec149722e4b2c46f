using System.Diagnostics;
using System.Globalization;
using CitationService.Classification;
using CitationService.Classification.Data;
using CitationService.Classification.Training;
using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Cli;

internal static class Commands
{
    public static int Train(string data, string models, bool summaryOnly)
    {
        var sw = Stopwatch.StartNew();
        if (!summaryOnly)
        {
            TrainingRunner.Run(data, models, Console.WriteLine);
        }
        SummaryTrainingRunner.Run(data, models, Console.WriteLine);
        SummaryTrainingRunner.WriteManifest(models);
        Console.WriteLine($"wrote {Path.Combine(models, CitationService.Classification.Runtime.ModelManifest.FileName)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"citations train: wall time {sw.Elapsed.TotalSeconds:F1}s"));
        return 0;
    }

    public static int Evaluate(string data, string models, string seeds, int seedExamples) => EvaluateCommand.Run(data, models, seeds, seedExamples);

    public static int Classify(string text, string models, bool sentence, string hubTitle, string hubAbstract)
    {
        var sw = Stopwatch.StartNew();
        var classifier = ModelCitationClassifier.Load(models);
        var loaded = sw.Elapsed;
        var input = sentence ? CitationText.Sentence(text) : CitationText.Summary(text, new HubText(hubTitle, hubAbstract, ""));
        var role = classifier.ClassifyRole(input);
        var polarity = classifier.ClassifyPolarity(input);
        Console.WriteLine($"text:     {text}");
        Console.WriteLine(sentence ? "kind:     citation sentence" : $"kind:     summary, hub: {(hubTitle.Length > 0 ? hubTitle : "(none)")}");
        Print("role", role.Label.ToString(), role.Confidence, role.Probabilities.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value), role.ModelVersion);
        Print("polarity", polarity.Label.ToString(), polarity.Confidence, polarity.Probabilities.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value), polarity.ModelVersion);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(models loaded in {loaded.TotalMilliseconds:F0} ms)"));
        return 0;
    }

    private static void Print(string what, string label, float confidence, Dictionary<string, float> probabilities, string version)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what + ":",-9} {label} ({confidence:P1})   [{version}]"));
        foreach (var (k, v) in probabilities.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"          {k,-12} {v:F3}"));
        }
    }

    public static int Tune(string target, string data) => TuneCommand.Run(target, data);
}
