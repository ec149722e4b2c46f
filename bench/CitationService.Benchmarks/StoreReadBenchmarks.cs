using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Core.Storage;

namespace CitationService.Benchmarks;

/// <summary>
/// <see cref="ICitationStore.ReadCitingPapersAsync"/> on the SQLite store: SQL, row reading and mapping to
/// <see cref="Core.Model.CitingPaper"/>. The hub is a generated page of 10,000 papers with seed summaries, ingested
/// (and labelled by the shipped models) into a temp database in the setup.
/// </summary>
[MemoryDiagnoser]
public class StoreReadBenchmarks
{
    public const int Papers = 10_000;

    private TempStore _store = null!;
    private string _hubId = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await TempStore.CreateAsync();
        _hubId = await _store.IngestAsync(Workload.BigHubPage(Papers, Workload.SeedSummaries(Inputs.Repo), out _), Inputs.LoadLabeler());
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Description = "All 10,000 papers of the hub (StreamCitingPapers' read)")]
    public Task<int> AllPapers() => CountAsync(limit: null);

    [Benchmark(Description = "First 50 papers (ListCitingPapers' read: 50 + 1)")]
    public Task<int> FirstPage() => CountAsync(limit: 51);

    [Benchmark(Description = "First paper (a read's fixed cost: connection, statement, first step)")]
    public Task<int> FirstPaper() => CountAsync(limit: 1);

    private async Task<int> CountAsync(int? limit) =>
        await _store.Store.ReadCitingPapersAsync(_hubId, CitingPaperFilter.None, null, limit, CancellationToken.None).CountAsync();
}
