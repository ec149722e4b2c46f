using System.Globalization;
using System.Text.Json;
using CitationService.Core.Model;
using CitationService.Core.Storage;
using CitationService.Storage;
using CitationService.Storage.Sqlite;
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

    private readonly List<SqliteCitationStore> _stores = [];

    protected override ICitationStore CreateStore()
    {
        var store = new SqliteCitationStore(DatabasePath);
        _stores.Add(store);
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
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
    public void Constructor_refuses_a_blank_path_and_a_lock_timeout_under_one_second()
    {
        var path = Path.Combine(_folder, "other", "citations.db");

        Assert.Equal("databasePath", Assert.Throws<ArgumentException>(() => new SqliteCitationStore(" ")).ParamName);
        Assert.Equal("lockTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteCitationStore(path, TimeSpan.FromMilliseconds(999))).ParamName);
        Assert.Equal(path, new SqliteCitationStore(path, TimeSpan.FromSeconds(1)).DatabasePath);
    }

    [Fact]
    public async Task Short_reads_reuse_one_connection_kept_open_between_them_which_disposing_the_store_closes()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Uses it."), Paper("B")), Url, T0, Labeler, Ct);
        var paperId = (await Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, 1, Ct).ToListAsync(Ct))[0].Id;
        SqliteConnection.ClearAllPools();
        // The one connection the first read left open: its database file, WAL and shared memory.
        Assert.Equal(3, OpenFiles.UnderOnceSettled(DatabasePath, 3));

        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await Store.GetHubAsync(new HubLookup(HubId: saved.HubId), Ct));
            Assert.NotNull(await Store.GetCitingPaperAsync(paperId, Ct));
            Assert.Equal(2, (await Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, 50, Ct).ToListAsync(Ct)).Count);
        }
        SqliteConnection.ClearAllPools();

        // The files of the one connection the first read left open, and no more: it served every read since.
        Assert.Equal(3, OpenFiles.UnderOnceSettled(DatabasePath, 3));
        await ((SqliteCitationStore)Store).DisposeAsync();
        SqliteConnection.ClearAllPools();
        Assert.Equal(0, OpenFiles.UnderOnceSettled(DatabasePath, 0));
    }

    [Fact]
    public async Task Reads_held_at_once_each_get_a_connection_and_two_per_core_are_kept_open_after_them()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);
        var store = (SqliteCitationStore)Store;
        var kept = 2 * Environment.ProcessorCount;
        var held = new List<IAsyncEnumerator<CitingPaper>>();
        for (var i = 0; i < kept + 3; i++)
        {
            held.Add(Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, 50, Ct).GetAsyncEnumerator(Ct));
            Assert.True(await held[^1].MoveNextAsync());
        }
        Assert.Equal(0, store.IdleReadConnections);

        foreach (var read in held)
        {
            Assert.True(await read.MoveNextAsync());
            await read.DisposeAsync();
        }

        Assert.Equal(kept, store.IdleReadConnections);
        await store.CloseIdleConnectionsAsync();
        SqliteConnection.ClearAllPools();
        Assert.Equal((0, 0), (store.IdleReadConnections, OpenFiles.UnderOnceSettled(DatabasePath, 0)));
    }

    [Fact]
    public async Task A_page_read_under_way_when_the_store_is_disposed_closes_its_connection_when_it_ends()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);
        var page = Store.ReadCitingPapersAsync(saved.HubId, CitingPaperFilter.None, null, 50, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await page.MoveNextAsync());

        await ((SqliteCitationStore)Store).DisposeAsync();
        SqliteConnection.ClearAllPools();
        Assert.True(OpenDatabaseFiles() > 0, "the read under way lost its connection");
        Assert.True(await page.MoveNextAsync());
        Assert.False(await page.MoveNextAsync());
        await page.DisposeAsync();

        SqliteConnection.ClearAllPools();
        Assert.Equal(0, OpenFiles.UnderOnceSettled(DatabasePath, 0));
    }

    [Fact]
    public async Task SaveHubPageAsync_waits_for_a_write_lock_another_connection_holds_and_gives_up_after_the_lock_timeout()
    {
        await using var holder = new SqliteConnection($"Data Source={DatabasePath}");
        await holder.OpenAsync(Ct);
        await holder.ExecuteAsync("BEGIN IMMEDIATE;");
        var patient = new SqliteCitationStore(DatabasePath, TimeSpan.FromSeconds(20));
        var impatient = new SqliteCitationStore(DatabasePath, TimeSpan.FromSeconds(1));

        // SQLite waits for a lock inside the call (a busy handler), so each save runs on its own thread.
        var waiting = Task.Run(() => patient.SaveHubPageAsync(Page(Paper("A")), Url, T0, Labeler, Ct));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => impatient.SaveHubPageAsync(Page(Paper("B")), Url, T0, Labeler, Ct)));
        var gaveUpAfter = clock.Elapsed;
        Assert.False(waiting.IsCompleted);
        await holder.ExecuteAsync("ROLLBACK;");

        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
        Assert.InRange(gaveUpAfter, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.True((await waiting).HubCreated);
        Assert.Equal(["A"], (await ReadAllAsync((await waiting).HubId)).Select(p => p.Title));
    }

    [Fact]
    public async Task CountLabelsAsync_reads_its_snapshot_while_another_connection_holds_the_write_lock()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary A."), Paper("B")), Url, T0, Labeler, Ct);
        await using var holder = new SqliteConnection($"Data Source={DatabasePath}");
        await holder.OpenAsync(Ct);
        await holder.ExecuteAsync("BEGIN IMMEDIATE;");
        var store = new SqliteCitationStore(DatabasePath, TimeSpan.FromSeconds(1));

        // A read-only snapshot takes no write lock (a deferred transaction): in WAL mode it does not wait for the writer.
        var counts = await Task.Run(() => store.CountLabelsAsync(saved.HubId, 0.5f, Ct));
        await holder.ExecuteAsync("ROLLBACK;");

        Assert.Equal((2, 1), (counts.CitingPaperCount, counts.UnclassifiedRoles));
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
    public async Task PingAsync_answers_when_the_database_is_migrated_and_fails_when_it_is_not()
    {
        var unmigrated = new SqliteCitationStore(Path.Combine(_folder, "unmigrated", "citations.db"));

        await Store.PingAsync(Ct);
        var error = await Assert.ThrowsAsync<SqliteException>(() => unmigrated.PingAsync(Ct));
        Assert.Contains("no such table: schema_migrations", error.Message);
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
        // A small write after the large one: the large one's commit may have checkpointed the whole WAL, and a
        // reader of a fully checkpointed WAL reads the database file and holds nothing a checkpoint waits for.
        await Store.SaveHubPageAsync(Page(Paper("Another")) with { Title = "Another hub", ArxivId = "", Doi = "" }, "https://pith.example/hub/another", T0, Labeler, Ct);
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

    [Theory]
    [InlineData("PostgreSql", "", "ConnectionString")]
    [InlineData("Oracle", "Host=db", "Provider")]
    public void AddCitationStore_fails_validation_naming_the_key_when_the_engine_is_unknown_or_has_no_connection_string(string provider, string connectionString, string key)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
        });

        builder.AddCitationStore();
        using var host = builder.Build();

        var error = Record.Exception(() => host.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.NotNull(error);
        Assert.Contains($"Storage:{key}", error.Message);
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
            "EXPLAIN QUERY PLAN " + SqlCitationStore.PapersAwaitingLabelsSql.Replace("@Limit", "512", StringComparison.Ordinal)))
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

    // The stored text itself (PostgreSQL keeps it as jsonb, which orders keys its own way): keyed by label name,
    // in label order whatever order the model gave, so the reader's direct scan takes it.
    [Fact]
    public async Task SaveClassificationsAsync_writes_a_row_per_task_with_its_probabilities_keyed_by_label_name_in_label_order()
    {
        var saved = await Store.SaveHubPageAsync(Page(Paper("A", "Summary.")), Url, T0, Labeler, Ct);
        var id = (await ReadAllAsync(saved.HubId)).Single().Id;
        var revision = Assert.Single(await Store.GetPapersLabelledByOtherModelsAsync(new RecordingLabeler("no model", "no model"), "", 10, Ct)).Revision;
        var role = new LabelPrediction<CitationRole>(CitationRole.Dataset, 0.7f,
            new Dictionary<CitationRole, float> { [CitationRole.Other] = 0.2f, [CitationRole.Dataset] = 0.7f, [CitationRole.Background] = 0.1f }, "role-v9");
        var polarity = new LabelPrediction<CitationPolarity>(CitationPolarity.Contrasting, 0.55f,
            new Dictionary<CitationPolarity, float> { [CitationPolarity.Contrasting] = 0.55f, [CitationPolarity.Neutral] = 0.25f, [CitationPolarity.Supporting] = 0.2f }, "polarity-v9");

        Assert.Equal(1, await Store.SaveClassificationsAsync(
            [new PaperClassification(id, revision, new Core.Classification.PaperLabels(role, polarity, Core.Classification.LabelSource.SummaryAndCitationContext))], Ct));

        var rows = await QueryAsync<(string Task, long Label, double Confidence, string Probabilities, string Source, string Version, long Input)>(
            "SELECT task, label, confidence, probabilities, source, source_version, input FROM citing_paper_labels ORDER BY task");
        Assert.Equal(
            [
                ("polarity", 3L, 0.55f, """{"Supporting":0.2,"Neutral":0.25,"Contrasting":0.55}""", "model", "polarity-v9", 1L),
                ("role", 3L, 0.7f, """{"Background":0.1,"Dataset":0.7,"Other":0.2}""", "model", "role-v9", 1L),
            ],
            rows.Select(r => (r.Task, r.Label, (float)r.Confidence, r.Probabilities, r.Source, r.Version, r.Input)));
    }

    [Fact]
    public async Task MigrateAsync_merges_hubs_stored_under_several_addresses_of_one_pith_hub_when_upgrading()
    {
        const string uuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
        var path = Path.Combine(_folder, "v3", "citations.db");
        await CreateDatabaseAtVersionAsync(path, 3, $$"""
            INSERT INTO hubs (id, title, normalized_title, source_url, stated_citing_count, stated_role_counts, ingested_at, updated_at) VALUES
                ('hub_full',     'Pythia', 'pythia', 'https://pith.science/citations/{{uuid}}',           40, '[{"Label":"background","Count":30}]', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                ('hub_www',      'Pythia', 'pythia', 'https://www.pith.science/citations/{{uuid}}/',     40, '[]', '2026-01-02T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z'),
                ('hub_filtered', 'Pythia', 'pythia', 'https://pith.science/citations/{{uuid}}?cat=cs.AI', 3, '[{"Label":"method","Count":2}]', '2025-12-31T00:00:00.0000000Z', '2026-01-03T00:00:00.0000000Z'),
                ('hub_other',    'Other',  'other',  'https://example.org/works/other',                  5, '[]', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO citing_papers (id, hub_id, position, title, normalized_title, summary, role, role_model_version, label_revision) VALUES
                ('a1', 'hub_full', 0, 'Paper A', 'paper a', 'Uses it.', 2, 'v', 0),
                ('b1', 'hub_full', 1, 'Paper B', 'paper b', NULL, NULL, NULL, 0),
                ('b2', 'hub_www', 0, 'Paper  B', 'paper b', NULL, NULL, NULL, 0),
                ('c2', 'hub_www', 1, 'Paper C', 'paper c', 'Extends it.', 5, 'v', 3),
                ('d3', 'hub_filtered', 0, 'Paper D', 'paper d', NULL, NULL, NULL, 0),
                ('a4', 'hub_other', 0, 'Paper A', 'paper a', NULL, NULL, NULL, 0);
            UPDATE hubs SET citing_paper_count = (SELECT count(*) FROM citing_papers c WHERE c.hub_id = hubs.id);
            """);

        await new SqliteCitationStore(path).MigrateAsync(Ct);

        var hubs = await QueryAsync<(string Id, string PithId, string SourceUrl, long? Stated, long Count)>(path,
            "SELECT id, pith_id, source_url, stated_citing_count, citing_paper_count FROM hubs ORDER BY id");
        Assert.Equal([("hub_full", uuid, "https://pith.science/citations/" + uuid, 40, 4), ("hub_other", "", "https://example.org/works/other", 5, 1)], hubs);
        var papers = await QueryAsync<(string Id, string HubId, string Title, long Position, long? Role, long Revision)>(path,
            """
            SELECT c.id, c.hub_id, c.title, c.position, l.label, c.label_revision
            FROM citing_papers c LEFT JOIN citing_paper_labels l ON l.paper_key = c.paper_key AND l.task = 'role'
            ORDER BY c.hub_id, c.position
            """);
        Assert.Equal(
            [
                ("a1", "hub_full", "Paper A", 0, 2, 0),
                ("b1", "hub_full", "Paper B", 1, null, 0),
                // Moved in the order their hubs were ingested, after the survivor's own.
                (StableIds.ForCitingPaper("hub_full", "Paper D", null), "hub_full", "Paper D", 2, null, 0),
                (StableIds.ForCitingPaper("hub_full", "Paper C", "Extends it."), "hub_full", "Paper C", 3, 5, 3),
                ("a4", "hub_other", "Paper A", 0, null, 0),
            ],
            papers);
        Assert.Equal([("hub_full", "cat=cs.AI", 3L, """[{"Label":"method","Count":2}]""")],
            await QueryAsync<(string, string, long, string)>(path, "SELECT hub_id, filter, stated_citing_count, stated_role_counts FROM hub_views"));
        var store = new SqliteCitationStore(path);
        var again = await store.SaveHubPageAsync(new Core.Pages.HubPage { Title = "Pythia", CitingPapers = [new() { Title = "Paper C", Summary = "Extends it." }] },
            "https://pith.science/citations/" + uuid + "/", T1, Labeler, Ct);
        Assert.Equal(("hub_full", 0, 1), (again.HubId, again.PapersAdded, again.PapersUnchanged + again.PapersUpdated));
    }

    [Fact]
    public async Task MigrateAsync_keeps_the_earliest_of_hubs_stored_only_from_filtered_views_of_one_pith_hub_without_the_views_counts()
    {
        const string uuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
        var path = Path.Combine(_folder, "v3", "citations.db");
        await CreateDatabaseAtVersionAsync(path, 3, $$"""
            INSERT INTO hubs (id, title, normalized_title, source_url, stated_citing_count, stated_role_counts, stated_polarity_counts, ingested_at, updated_at) VALUES
                ('hub_year', 'Pythia', 'pythia', 'https://pith.science/citations/{{uuid}}?year=2024', 7, '[{"Label":"method","Count":5}]', '[{"Label":"positive","Count":1}]', '2026-01-02T00:00:00.0000000Z', '2026-01-04T00:00:00.0000000Z'),
                ('hub_cat',  'Pythia', 'pythia', 'https://pith.science/citations/{{uuid}}?cat=cs.AI', 3, '[{"Label":"method","Count":2}]', '[]', '2026-01-01T00:00:00.0000000Z', '2026-01-03T00:00:00.0000000Z');
            INSERT INTO citing_papers (id, hub_id, position, title, normalized_title, summary) VALUES
                ('p1', 'hub_cat', 0, 'Paper A', 'paper a', NULL),
                ('p2', 'hub_year', 0, 'Paper B', 'paper b', NULL);
            """);

        await new SqliteCitationStore(path).MigrateAsync(Ct);

        // The earliest survives; the counts it was stored with are its view's, so the hub has none of its own.
        Assert.Equal([("hub_cat", uuid, "https://pith.science/citations/" + uuid, (long?)null, "[]", "[]", 2L)],
            await QueryAsync<(string, string, string, long?, string, string, long)>(path,
                "SELECT id, pith_id, source_url, stated_citing_count, stated_role_counts, stated_polarity_counts, citing_paper_count FROM hubs"));
        Assert.Equal(
            [
                ("hub_cat", "cat=cs.AI", 3L, """[{"Label":"method","Count":2}]""", "[]", "2026-01-03T00:00:00.0000000Z"),
                ("hub_cat", "year=2024", 7L, """[{"Label":"method","Count":5}]""", """[{"Label":"positive","Count":1}]""", "2026-01-04T00:00:00.0000000Z"),
            ],
            await QueryAsync<(string, string, long, string, string, string)>(path,
                "SELECT hub_id, filter, stated_citing_count, stated_role_counts, stated_polarity_counts, updated_at FROM hub_views ORDER BY filter"));
        Assert.Equal([("p1", "Paper A", 0L), (StableIds.ForCitingPaper("hub_cat", "Paper B", null), "Paper B", 1L)],
            await QueryAsync<(string, string, long)>(path, "SELECT id, title, position FROM citing_papers ORDER BY position"));
    }

    [Fact]
    public async Task MigrateAsync_drops_a_merged_paper_whose_new_id_a_survivors_paper_already_has_since_its_title_changed()
    {
        const string uuid = "745b4799-6ac4-4abe-924f-78bf0a08ffa1";
        var path = Path.Combine(_folder, "v3", "citations.db");
        // hub_full's paper was keyed as "Paper X" and retitled "Paper Y" since; hub_www holds a "Paper X".
        var keyedAsX = StableIds.ForCitingPaper("hub_full", "Paper X", null);
        await CreateDatabaseAtVersionAsync(path, 3, $$"""
            INSERT INTO hubs (id, title, normalized_title, source_url, ingested_at, updated_at) VALUES
                ('hub_full', 'Pythia', 'pythia', 'https://pith.science/citations/{{uuid}}',      '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z'),
                ('hub_www',  'Pythia', 'pythia', 'https://www.pith.science/citations/{{uuid}}', '2026-01-02T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z');
            INSERT INTO citing_papers (id, hub_id, position, title, normalized_title, summary) VALUES
                ('{{keyedAsX}}', 'hub_full', 0, 'Paper Y', 'paper y', NULL),
                ('x2', 'hub_www', 0, 'Paper X', 'paper x', NULL),
                ('z2', 'hub_www', 1, 'Paper Z', 'paper z', NULL);
            """);

        await new SqliteCitationStore(path).MigrateAsync(Ct);

        Assert.Equal([(keyedAsX, "hub_full", "Paper Y"), (StableIds.ForCitingPaper("hub_full", "Paper Z", null), "hub_full", "Paper Z")],
            await QueryAsync<(string, string, string)>(path, "SELECT id, hub_id, title FROM citing_papers ORDER BY position"));
    }

    [Fact]
    public async Task MigrateAsync_refuses_a_second_hub_with_the_same_pith_id_after_upgrading()
    {
        await Store.SaveHubPageAsync(Page(), "https://pith.science/citations/745b4799-6ac4-4abe-924f-78bf0a08ffa1", T0, Labeler, Ct);

        var error = await Assert.ThrowsAsync<SqliteException>(() => QueryAsync<long>(
            "INSERT INTO hubs (id, title, normalized_title, ingested_at, updated_at, pith_id) VALUES ('x', 'x', 'x', '', '', '745b4799-6ac4-4abe-924f-78bf0a08ffa1')"));
        Assert.Contains("UNIQUE", error.Message);
    }

    // A database as migrations 1 to 3 left it, with the rows of insertSql.
    // A database as the migrations up to lastVersion left it (their SQL; no version before 7 has data to move
    // in an empty database), with insertSql's rows.
    private static async Task CreateDatabaseAtVersionAsync(string path, int lastVersion, string insertSql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
        var folder = Path.Combine(RepositoryPaths.Root, "src", "CitationService.Storage", "Sqlite", "Migrations");
        foreach (var file in Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            var version = int.Parse(Path.GetFileName(file)[..4], CultureInfo.InvariantCulture);
            if (version > lastVersion)
            {
                break;
            }
            await connection.ExecuteAsync(await File.ReadAllTextAsync(file));
            await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, '2026-01-01T00:00:00.0000000Z')", new { version });
        }
        await connection.ExecuteAsync(insertSql);
    }

    [Fact]
    public async Task MigrateAsync_moves_each_papers_labels_to_one_row_per_task_and_marks_papers_without_labels_as_awaiting_them()
    {
        var path = Path.Combine(_folder, "v6", "citations.db");
        await CreateDatabaseAtVersionAsync(path, 6, LabelsByTaskMigration.InsertSql);

        var store = new SqliteCitationStore(path);
        await store.MigrateAsync(Ct);

        await LabelsByTaskMigration.AssertMovedAsync(store, Ct);
        Assert.Equal(LabelsByTaskMigration.ExpectedLabelRows, await QueryAsync<(string, string, string, string)>(path, LabelsByTaskMigration.LabelRowsSql));
        Assert.Equal(LabelsByTaskMigration.ExpectedPapersByKey, await QueryAsync<string>(path, LabelsByTaskMigration.PapersByKeySql));
        var columns = await QueryAsync<string>(path, "SELECT name FROM pragma_table_info('citing_papers')");
        Assert.DoesNotContain(columns, column => column.StartsWith("role", StringComparison.Ordinal) || column.StartsWith("polarity", StringComparison.Ordinal));
    }

    private static async Task<List<T>> QueryAsync<T>(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: Ct))];
    }

    protected override Task<List<T>> QueryAsync<T>(string sql) => QueryAsync<T>(DatabasePath, sql);

    /// <summary>File descriptors of this process open on the test's database (its file, WAL and shared memory).</summary>
    private int OpenDatabaseFiles() => OpenFiles.Under(DatabasePath);
}
