using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Classification;
using CitationService.Core.Model;
using CitationService.Core.Storage;
using CitationService.Server.Grpc;
using V1 = CitationService.Contracts.V1;

namespace CitationService.Benchmarks;

/// <summary>
/// <see cref="ContractMapping"/>: a stored <see cref="CitingPaper"/> to its <c>citations.v1.CitingPaper</c> message,
/// as every list and stream does per paper. The papers are the seed page's, ingested and read back from a temp store.
/// </summary>
[MemoryDiagnoser]
public class ContractMappingBenchmarks
{
    private readonly float _threshold = new ClassifierOptions().ConfidenceThreshold;
    private CitingPaper[] _papers = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var store = await TempStore.CreateAsync();
        var hubId = await store.IngestAsync(Inputs.Seed(Workload.SeedPage), Inputs.LoadLabeler());
        _papers = await store.Store.ReadCitingPapersAsync(hubId, CitingPaperFilter.None, null, null, CancellationToken.None).ToArrayAsync();
    }

    [Benchmark(Description = "Map 1 paper")]
    public V1.CitingPaper OnePaper() => _papers[0].ToContract(_threshold);

    [Benchmark(Description = "Map the seed page's papers (27)")]
    public V1.CitingPaper[] SeedPage() => Array.ConvertAll(_papers, p => p.ToContract(_threshold));
}
