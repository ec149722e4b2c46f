using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Core.Storage;
using CitationService.Server.Grpc;
using CitationService.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using V1 = CitationService.Contracts.V1;

namespace CitationService.Benchmarks;

/// <summary>
/// <c>GetHub</c>'s own work without the server: <see cref="ICitationStore.GetHubAsync"/> by id on the SQLite store, the
/// mapping to <c>citations.v1.Hub</c> and the response's encoding. Two hubs: the seed page's (stated counts, views and
/// an abstract) and a generated page of 10,000 papers (none of those). Beside the store's own look-up, the same
/// statement run directly on a connection kept open and prepared once, with no store around it: the floor the
/// store's look-up (on its kept connections, <c>ReadSessions</c>) is compared with.
/// </summary>
[MemoryDiagnoser]
public class HubLookupBenchmarks
{
    private TempStore _store = null!;
    private string _seedHubId = "";
    private string _bigHubId = "";
    private SqliteConnection _keptOpen = null!;
    private SqliteCommand _preparedLookup = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await TempStore.CreateAsync();
        var labeler = Inputs.LoadLabeler();
        _seedHubId = await _store.IngestAsync(Inputs.Seed(Workload.SeedPage), labeler);
        _bigHubId = await _store.IngestAsync(Workload.BigHubPage(StoreReadBenchmarks.Papers, Workload.SeedSummaries(Inputs.Repo), out _), labeler);

        _keptOpen = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _store.Store.DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await _keptOpen.OpenAsync();
        _preparedLookup = _keptOpen.CreateCommand();
        _preparedLookup.CommandText = SqlCitationStore.GetHubByIdSql;
        _preparedLookup.Parameters.Add("@Value", SqliteType.Text).Value = _seedHubId;
        _preparedLookup.Parameters.Add("@Limit", SqliteType.Integer).Value = AmbiguousHubLookupException.MaxIdsListed + 1;
        _preparedLookup.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _preparedLookup.Dispose();
        _keptOpen.Dispose();
        _store.Dispose();
    }

    [Benchmark(Baseline = true, Description = "The health check's store ping (the baseline of GetHub's ratio)")]
    public Task Ping() => _store.Store.PingAsync(CancellationToken.None);

    [Benchmark(Description = "GetHub's work, seed hub: look-up, mapping, encoding")]
    public Task<int> SeedHub() => GetHubAsync(_seedHubId);

    [Benchmark(Description = "GetHub's work, 10,000-paper hub")]
    public Task<int> BigHub() => GetHubAsync(_bigHubId);

    [Benchmark(Description = "The store's look-up alone, seed hub")]
    public Task<Core.Model.Hub?> SeedHubLookup() => _store.Store.GetHubAsync(new HubLookup(HubId: _seedHubId), CancellationToken.None);

    [Benchmark(Description = "The store's look-up alone, 10,000-paper hub")]
    public Task<Core.Model.Hub?> BigHubLookup() => _store.Store.GetHubAsync(new HubLookup(HubId: _bigHubId), CancellationToken.None);

    [Benchmark(Description = "The seed hub's row on a connection kept open, its statement prepared once (no ToHub)")]
    public async Task<string?> SeedHubRowOnPreparedStatement()
    {
        _preparedLookup.Parameters[0].Value = _seedHubId;
        await using var reader = await _preparedLookup.ExecuteReaderAsync();
        return await reader.ReadAsync() ? HubRowReader.Read(reader).Id : null;
    }

    private async Task<int> GetHubAsync(string hubId)
    {
        var hub = await _store.Store.GetHubAsync(new HubLookup(HubId: hubId), CancellationToken.None);
        return new V1.GetHubResponse { Hub = hub!.ToContract() }.ToByteArray().Length;
    }
}
