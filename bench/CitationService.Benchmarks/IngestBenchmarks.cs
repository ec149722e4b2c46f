using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Core.Classification;
using CitationService.Core.Pages;

namespace CitationService.Benchmarks;

/// <summary>
/// Where an ingest's time goes: the generated 10,000-paper page with seed summaries (the bench's big page at a tenth
/// of its size) ingested whole into an empty temp store, as <c>IngestHubPage</c> does (parse, label with the shipped
/// models on every core, save in one transaction), next to its labelling alone. Parsing alone is
/// <see cref="PageParsingBenchmarks"/>' "generated, 10,000 papers"; what the ingest costs beyond parse and label is
/// the store's write.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)] // each ingest into a store of its own (IterationSetup)
public class IngestBenchmarks
{
    private const int Papers = 10_000;

    private string _page = "";
    private SummaryLabeler _labeler = null!;
    private HubText _hub = HubText.None;
    private PaperText[] _papers = [];
    private TempStore? _store;

    [GlobalSetup]
    public void Setup()
    {
        _page = Workload.BigHubPage(Papers, Workload.SeedSummaries(Inputs.Repo), out _);
        _labeler = Inputs.LoadLabeler();
        var parsed = HubPageParser.Parse(_page);
        _hub = new HubText(parsed.Title, parsed.Abstract, parsed.TierLabel);
        _papers = [.. parsed.CitingPapers.Select(p => new PaperText(p.Summary!, p.ContextText))];
    }

    [IterationSetup(Target = nameof(Ingest))]
    public void CreateStore() => _store = TempStore.CreateAsync().GetAwaiter().GetResult();

    [IterationCleanup(Target = nameof(Ingest))]
    public void DeleteStore() => _store?.Dispose();

    [Benchmark(Description = "Ingest the 10,000-paper page into an empty store (parse, label, save)")]
    public Task<string> Ingest() => _store!.IngestAsync(_page, _labeler);

    [Benchmark(Description = "Label its 10,000 summaries (role and polarity, every core)")]
    public IReadOnlyList<PaperLabels> Label() => _labeler.Label(_hub, _papers, CancellationToken.None);
}
