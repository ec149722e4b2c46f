using System.Text.Json;
using CitationService.Core.Model;
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

    [Fact]
    public void ProbabilityText_reads_what_JsonSerializer_reads_from_stored_other_and_malformed_texts()
    {
        // The texts the store writes (label names in label order, JsonSerializer's floats), over many values.
        var random = new Random(8);
        var texts = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var values = Enumerable.Range(0, 6).Select(_ => random.Next(4) switch
            {
                0 => BitConverter.Int32BitsToSingle(random.Next(0x3F800001)), // any single in [0, 1], subnormals included
                1 => (float)random.NextDouble(),
                2 => MathF.Round((float)random.NextDouble(), 2),
                _ => random.Next(2),
            }).ToArray();
            texts.Add(JsonSerializer.Serialize(new Dictionary<string, float>
            {
                ["Background"] = values[0], ["Method"] = values[1], ["Dataset"] = values[2],
                ["Baseline"] = values[3], ["Extension"] = values[4], ["Other"] = values[5],
            }));
        }
        Assert.All(texts, text => Assert.NotNull(ProbabilityText.TryParseCanonical<CitationRole>(text)));
        // Texts the store does not write, valid and not: each must come out as JsonSerializer has it.
        texts.AddRange(
        [
            "{}", """{"Other":0.5}""", """{ "Method": 0.5 }""", """{"Meth\u006fd":0.5}""", """{"Method":0.5,"Method":0.25}""",
            """{"Other":0.5,"Method":0.25}""", """{"method":0.5}""", """{"2":0.5}""", """{"Unknown":0.5,"Dataset":1}""",
            """{"Method":5E-1}""", """{"Method":-0}""", """{"Method":1e-50}""", """{"Method":0.50000000000000000000000000001}""",
            """{"Method":NaN}""", """{"Method":1e39}""", """{"Method":.5}""", """{"Method":01}""", """{"Method":0.5,}""",
            """{"Method":0.5}x""", """{"Method":"0.5"}""", """{"Method"0.5}""", "{", "[]", "null",
        ]);

        foreach (var text in texts)
        {
            Assert.Equal(Outcome(() => ProbabilityText.ParseGeneral<CitationRole>(text)), Outcome(() => ProbabilityText.Parse<CitationRole>(text)));
        }
        Assert.Empty(ProbabilityText.Parse<CitationRole>(null));
        Assert.Empty(ProbabilityText.Parse<CitationRole>(""));

        // The labels with their exact bits, in order; or the exception's type.
        static string Outcome(Func<Dictionary<CitationRole, float>> parse)
        {
            try
            {
                return string.Join(",", parse().Select(p => $"{p.Key}={BitConverter.SingleToInt32Bits(p.Value):x8}"));
            }
            catch (Exception e)
            {
                return e.GetType().FullName!;
            }
        }
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: Ct))];
    }
}
