using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Core.Classification;
using CitationService.Core.Pages;

namespace CitationService.Benchmarks;

/// <summary>
/// Role and polarity of seed summaries read with their hub, through <see cref="SummaryLabeler"/> and the shipped
/// models, as an ingest labels them. Both run on the calling thread (the labeler splits work only above 1,024
/// papers), so texts/s per thread is papers over the mean. The hub's abstract is featurised once and cached, as
/// in the server.
/// </summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private SummaryLabeler _labeler = null!;
    private HubText _hub = HubText.None;
    private PaperText[] _seedPapers = [];
    private PaperText[] _onePaper = [];

    [GlobalSetup]
    public void Setup()
    {
        _labeler = Inputs.LoadLabeler();
        var page = HubPageParser.Parse(Inputs.Seed(Workload.SeedPage));
        _hub = new HubText(page.Title, page.Abstract, page.TierLabel);
        _seedPapers = [.. page.CitingPapers.Where(p => p.Summary is not null).Select(p => new PaperText(p.Summary!, p.ContextText))];
        _onePaper = [_seedPapers[0]];
    }

    [Benchmark(Description = "Label 1 seed summary")]
    public IReadOnlyList<PaperLabels> OnePaper() => _labeler.Label(_hub, _onePaper, CancellationToken.None);

    [Benchmark(Description = "Label the seed page's summaries (26)")]
    public IReadOnlyList<PaperLabels> SeedPage() => _labeler.Label(_hub, _seedPapers, CancellationToken.None);
}
