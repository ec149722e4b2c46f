using CitationService.Bench;
using CitationService.Classification;
using CitationService.Core.Classification;
using CitationService.Core.Ingestion;
using CitationService.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CitationService.Benchmarks;

/// <summary>The repository's inputs: seed pages and the shipped models.</summary>
internal static class Inputs
{
    /// <summary>The repository above the benchmark binaries (BenchmarkDotNet runs them from a folder under bin/).</summary>
    public static RepoLayout Repo { get; } = RepoLayout.Find(typeof(Server.Grpc.ContractMapping).Assembly.Location);

    /// <summary>A file under <c>seeds/</c>, by its path relative to it.</summary>
    public static string Seed(string relativePath) => File.ReadAllText(Path.Combine(Repo.SeedsDirectory, relativePath));

    /// <summary>
    /// A stored response of <c>seeds/json/</c> without its <c>url:</c> and <c>-----chunk-----</c> header lines: the
    /// document <c>citations ingest</c> sends.
    /// </summary>
    public static string StoredJson(string name)
    {
        const string Separator = "-----chunk-----\n";
        var text = Seed(Path.Combine("json", name));
        return text[(text.IndexOf(Separator, StringComparison.Ordinal) + Separator.Length)..];
    }

    /// <summary>The labeler the server runs, over the shipped models.</summary>
    public static SummaryLabeler LoadLabeler() => new(ModelCitationClassifier.Load(Repo.ModelsDirectory));
}

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
