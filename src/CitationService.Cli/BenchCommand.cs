using System.Diagnostics;
using System.Globalization;
using CitationService.Classification;
using CitationService.Classification.Data;
using CitationService.Core.Classification;

namespace CitationService.Cli;

/// <summary>
/// `citations bench`: model load time and single-text prediction throughput of the committed models: the summary
/// models (each summary of the summary test split with its hub; the target is 20,000 texts/s on one thread) and,
/// measured in the same run, the citation-sentence models (SciCite test sentences).
/// </summary>
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

        var summaries = Classification.Summaries.SummaryCorpus.Load(data).Where(p => p.Split == "test")
            .Select(p => CitationText.Summary(p.Summary, p.ToHubText())).ToArray();
        Measure("summary (with hub)", classifier, summaries, repeat: 10);
        Measure("citation sentence", classifier, [.. Corpora.LoadSciCite(data).Test.Select(r => CitationText.Sentence(r.Text)).Take(2000)], repeat: 1);
        return 0;
    }

    private static void Measure(string kind, ModelCitationClassifier classifier, CitationText[] texts, int repeat)
    {
        // Untimed passes first: tiered JIT needs a few seconds of calls before the code is final.
        var n = texts.Length * repeat;
        var sw = Stopwatch.StartNew();
        var rates = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            sw.Restart();
            for (var i = 0; i < n; i++)
            {
                classifier.ClassifyRole(texts[i % texts.Length]);
                classifier.ClassifyPolarity(texts[i % texts.Length]);
            }
            rates.Add(n / sw.Elapsed.TotalSeconds);
        }
        sw.Restart();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            classifier.ClassifyRole(texts[i % texts.Length]);
            classifier.ClassifyPolarity(texts[i % texts.Length]);
        });
        var parallel = n / sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind}: role+polarity of {n} texts: 1 thread, 4 rounds {string.Join(" / ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} texts/s (the last is warm); {Environment.ProcessorCount} threads {parallel:F0} texts/s"));
    }
}
