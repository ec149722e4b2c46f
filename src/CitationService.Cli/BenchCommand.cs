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
            .Select(p => CitationText.Summary(p.Summary, new HubText(p.HubTitle, p.HubAbstract, p.HubTier))).ToArray();
        Measure("summary (with hub)", classifier, summaries, repeat: 10);
        Measure("citation sentence", classifier, [.. Corpora.LoadSciCite(data).Test.Select(r => CitationText.Sentence(r.Text)).Take(2000)], repeat: 1);
        return 0;
    }

    private static void Measure(string kind, ModelCitationClassifier classifier, CitationText[] texts, int repeat)
    {
        classifier.ClassifyRole(texts[0]);
        classifier.ClassifyPolarity(texts[0]);
        var sw = Stopwatch.StartNew();
        for (var r = 0; r < repeat; r++)
        {
            foreach (var t in texts)
            {
                classifier.ClassifyRole(t);
                classifier.ClassifyPolarity(t);
            }
        }
        var single = sw.Elapsed;
        sw.Restart();
        Parallel.For(0, texts.Length * repeat, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            classifier.ClassifyRole(texts[i % texts.Length]);
            classifier.ClassifyPolarity(texts[i % texts.Length]);
        });
        var parallel = sw.Elapsed;
        var n = texts.Length * repeat;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind}: role+polarity of {n} texts: 1 thread {n / single.TotalSeconds:F0} texts/s; {Environment.ProcessorCount} threads {n / parallel.TotalSeconds:F0} texts/s"));
    }
}
