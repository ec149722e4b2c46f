using CitationService.Core.Classification;
using CitationService.Core.Ingestion;
using CitationService.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CitationService.Benchmarks;

/// <summary>A SQLite store in a temp folder that pages are ingested into as the server does (parse, label, save); deleted on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "citations-benchmarks", Guid.NewGuid().ToString("N"));

    private TempStore() => Store = new SqliteCitationStore(Path.Combine(_folder, "citations.db"));

    public SqliteCitationStore Store { get; }

    public static async Task<TempStore> CreateAsync()
    {
        var temp = new TempStore();
        await temp.Store.MigrateAsync(CancellationToken.None);
        return temp;
    }

    /// <summary>Ingests <paramref name="pageText"/> and returns its hub's id.</summary>
    public async Task<string> IngestAsync(string pageText, ISummaryLabeler labeler)
    {
        var outcome = await new HubPageIngestor(Store, labeler, TimeProvider.System).IngestAsync(pageText, "", CancellationToken.None);
        return outcome.Saved.HubId;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
