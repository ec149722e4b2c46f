using System.Diagnostics;
using System.Globalization;
using CitationService.Classification;
using CitationService.Classification.Data;
using CitationService.Core.Classification;

namespace CitationService.Cli;

/// <summary>`citations bench`: model load time and single-text prediction throughput of the committed models.</summary>
internal static class BenchCommand
{
    public static int Run(string data, string models)
    {
        var sw = Stopwatch.StartNew();
        var classifier = ModelCitationClassifier.Load(models);
        var cold = sw.Elapsed;
        sw.Restart();
        _ = ModelCitationClassifier.Load(models);
        var warm = sw.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load both models: cold {cold.TotalMilliseconds:F0} ms (first in process), warm {warm.TotalMilliseconds:F0} ms"));

        var texts = Corpora.LoadSciCite(data).Test.Select(r => r.Text).Take(2000).ToArray();
        classifier.ClassifyRole(CitationText.Sentence(texts[0]));
        classifier.ClassifyPolarity(CitationText.Sentence(texts[0]));
        sw.Restart();
        foreach (var t in texts)
        {
            classifier.ClassifyRole(CitationText.Sentence(t));
            classifier.ClassifyPolarity(CitationText.Sentence(t));
        }
        var single = sw.Elapsed;
        sw.Restart();
        Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            classifier.ClassifyRole(CitationText.Sentence(t));
            classifier.ClassifyPolarity(CitationText.Sentence(t));
        });
        var parallel = sw.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"role+polarity for {texts.Length} texts: 1 thread {texts.Length / single.TotalSeconds:F0} texts/s; {Environment.ProcessorCount} threads {texts.Length / parallel.TotalSeconds:F0} texts/s"));
        return 0;
    }
}
