using CitationService.Core.Storage;
using CitationService.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CitationService.Tests.Storage;

/// <summary>The store suite against a SQLite file in a per-test temp folder, plus SQLite-only checks.</summary>
public sealed class SqliteCitationStoreTests : CitationStoreTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "citation-store-tests", Guid.NewGuid().ToString("N"));

    // A directory that does not exist yet: the store creates it.
    private string DatabasePath => Path.Combine(_folder, "data", "citations.db");

    protected override ICitationStore CreateStore() => new SqliteCitationStore(DatabasePath);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Constructor_creates_database_directory_when_missing()
    {
        Assert.True(Directory.Exists(Path.GetDirectoryName(DatabasePath)));
        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task MigrateAsync_records_each_migration_once_when_run_twice()
    {
        var before = await QueryAsync<(long Version, string AppliedAt)>("SELECT version, applied_at FROM schema_migrations ORDER BY version");

        await Store.MigrateAsync(Ct);
        await CreateStore().MigrateAsync(Ct);

        var after = await QueryAsync<(long Version, string AppliedAt)>("SELECT version, applied_at FROM schema_migrations ORDER BY version");
        Assert.Equal(1, after[0].Version);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task MigrateAsync_leaves_database_in_wal_mode_when_done()
    {
        Assert.Equal(["wal"], await QueryAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ReadCitingPapersAsync_releases_its_read_snapshot_when_enumeration_stops_early()
    {
        var saved = await Store.SaveHubPageAsync(Page([.. Enumerable.Range(0, 1000).Select(i => Paper($"Paper {i}"))]), Url, T0, Labeler, Ct);
        var busyWhileReading = -1L;

        await foreach (var paper in Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, null, Ct))
        {
            if (paper.Position == 10)
            {
                busyWhileReading = await CheckpointBusyAsync();
                break;
            }
        }

        // A checkpoint that truncates the WAL must wait for every open reader: it reports busy while the
        // enumeration runs and not once it has stopped.
        Assert.Equal(1, busyWhileReading);
        Assert.Equal(0, await CheckpointBusyAsync());
    }

    [Fact]
    public async Task AddCitationStore_resolves_relative_database_path_against_content_root()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DatabasePath"] = "db/hosted.db" });

        builder.AddCitationStore();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<ICitationStore>();
        await store.MigrateAsync(Ct);

        var sqlite = Assert.IsType<SqliteCitationStore>(store);
        Assert.Equal(Path.Combine(_folder, "db", "hosted.db"), sqlite.DatabasePath);
        Assert.True(File.Exists(sqlite.DatabasePath));
        Assert.Same(store, host.Services.GetRequiredService<ICitationStore>());
    }

    [Fact]
    public void AddCitationStore_fails_validation_when_database_path_is_empty()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DatabasePath"] = " " });

        builder.AddCitationStore();
        using var host = builder.Build();

        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
    }

    [Fact]
    public void StorageOptions_points_to_app_data_when_not_configured()
    {
        Assert.Equal("App_Data/citations.db", new StorageOptions().DatabasePath);
    }

    private async Task<long> CheckpointBusyAsync() =>
        (await QueryAsync<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)"))[0].Busy;

    [Fact]
    public async Task GetPapersAwaitingLabelsAsync_reads_only_the_partial_index_of_papers_awaiting_labels_not_the_table()
    {
        await Store.SaveHubPageAsync(Page([.. Enumerable.Range(0, 2000).Select(i => Paper($"Paper {i}", $"Summary {i}."))]), Url, T0, Labeler, Ct);
        await QueryAsync<long>("ANALYZE main;");

        var plan = (await QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + SqliteCitationStore.PapersAwaitingLabelsSql.Replace("@Limit", "512", StringComparison.Ordinal)))
            .Select(step => step.Detail).ToList();

        // What the background sweep polls after ingests: with every paper labelled it must cost nothing,
        // however many papers are stored (an ingest used to scan the whole table for this).
        Assert.Contains(plan, step => step.Contains("ix_citing_papers_awaiting_labels", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step is "SCAN c" || step.StartsWith("SCAN citing_papers", StringComparison.Ordinal));
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: Ct))];
    }
}
