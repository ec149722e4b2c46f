using System.Data.Common;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using CitationService.Core.Storage;
using CitationService.Storage;
using CitationService.Storage.PostgreSql;
using CitationService.Storage.Sqlite;
using CitationService.Tests.PostgreSql;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CitationService.Tests.Storage;

/// <summary>
/// The save path of <c>SqlCitationStore</c> (migrating, pinging, <c>SaveHubPageAsync</c> and how it finds a
/// page's hub), on each engine: details the shared store suite leaves open.
/// </summary>
public abstract class SavePathTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    protected static readonly DateTimeOffset T1 = T0.AddHours(1);
    protected const string Uuid = "0b6f3c1e-2d4a-4e5b-8c7d-9f0a1b2c3d4e";

    protected ICitationStore Store { get; private set; } = null!;

    protected FixedLabeler Labeler { get; } = new();

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A store over this test's database; each call opens the same database anew.</summary>
    protected abstract ICitationStore CreateStore();

    /// <summary>The rows of <paramref name="sql"/> on this test's database.</summary>
    protected abstract Task<List<T>> QueryAsync<T>(string sql);

    public virtual async Task InitializeAsync()
    {
        Store = CreateStore();
        await Store.MigrateAsync(Ct);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    // ------------------------------------------------------------------ which hub a page belongs to

    // The hub was stored from a page without an address (its id from its title), then given one: a page at
    // that address finds it by the address, whatever its title now.
    [Fact]
    public async Task SaveHubPageAsync_finds_a_hub_by_its_address_after_its_title_changed_when_it_was_first_stored_without_one()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), "", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")), OtherUrl, T0, Labeler, Ct);

        var retitled = await Store.SaveHubPageAsync(Page(Paper("A")) with { Title = "Attention Is Not All You Need" }, OtherUrl, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(first.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 0, PapersUpdated: 0, PapersUnchanged: 1, PapersLabelled: 0, PapersAwaitingLabels: 0), retitled);
        var hub = (await Store.ListHubsAsync(null, null, 10, Ct)).Single();
        Assert.Equal((first.HubId, "Attention Is Not All You Need", OtherUrl), (hub.Id, hub.Title, hub.SourceUrl));
    }

    // The id a page would get is taken by a hub whose title and address have both moved on since: the page
    // belongs to that hub (a new hub under the same id could not be stored).
    [Fact]
    public async Task SaveHubPageAsync_finds_the_hub_that_holds_the_pages_id_when_its_title_and_address_have_moved_on()
    {
        var first = await Store.SaveHubPageAsync(Page(Paper("A")), "", T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")), OtherUrl, T0, Labeler, Ct);
        await Store.SaveHubPageAsync(Page(Paper("A")) with { Title = "Attention Is Not All You Need" }, OtherUrl, T0, Labeler, Ct);

        var again = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), "", T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(first.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 1, PapersUpdated: 0, PapersUnchanged: 1, PapersLabelled: 0, PapersAwaitingLabels: 0), again);
        var hub = (await Store.ListHubsAsync(null, null, 10, Ct)).Single();
        Assert.Equal((first.HubId, Page().Title, OtherUrl, 2), (hub.Id, hub.Title, hub.SourceUrl, hub.StoredCitingCount));
    }

    // The hub a lookup finds wins over another hub that holds the id the page would get: here a hub first
    // stored at the page's address, whose address has moved on since (a later page of the same work, matched
    // by its arXiv id, came from another address).
    [Fact]
    public async Task SaveHubPageAsync_keeps_a_page_with_the_hub_its_title_finds_when_another_hub_holds_the_pages_id()
    {
        const string movedUrl = "https://example.org/hubs/moved";
        var moved = await Store.SaveHubPageAsync(Page(Paper("M")) with { Title = "Moved", ArxivId = "1706.03762" }, OtherUrl, T0, Labeler, Ct);
        Assert.Equal(moved.HubId, (await Store.SaveHubPageAsync(Page(Paper("M")) with { Title = "Moved", ArxivId = "1706.03762" }, movedUrl, T0, Labeler, Ct)).HubId);
        var titled = await Store.SaveHubPageAsync(Page(Paper("A")), "", T0, Labeler, Ct);
        Assert.Equal(StableIds.ForHub(OtherUrl, ""), moved.HubId);

        var result = await Store.SaveHubPageAsync(Page(Paper("B")), OtherUrl, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(titled.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 1, PapersUpdated: 0, PapersUnchanged: 0, PapersLabelled: 0, PapersAwaitingLabels: 0), result);
        Assert.Equal(["A", "B"], (await PaperTitlesAsync(titled.HubId)).Order(StringComparer.Ordinal));
        Assert.Equal(["M"], await PaperTitlesAsync(moved.HubId));
        var hubs = (await Store.ListHubsAsync(null, null, 10, Ct)).ToDictionary(hub => hub.Id, hub => hub.SourceUrl);
        Assert.Equal(new Dictionary<string, string> { [moved.HubId] = movedUrl, [titled.HubId] = OtherUrl }, hubs);
    }

    // Title-less pages (citing papers only) are never matched by title: an addressed one does not join a
    // title-less hub stored without an address.
    [Fact]
    public async Task SaveHubPageAsync_does_not_match_a_page_without_a_title_to_a_hub_without_one()
    {
        var citers = new HubPage { Title = "", DescribesHub = false, CitingPapers = [Paper("A")] };
        var first = await Store.SaveHubPageAsync(citers, "", T0, Labeler, Ct);

        var second = await Store.SaveHubPageAsync(citers with { CitingPapers = [Paper("B")] }, OtherUrl, T1, Labeler, Ct);

        Assert.Equal((true, true), (first.HubCreated, second.HubCreated));
        Assert.Equal(StableIds.ForHub(OtherUrl, ""), second.HubId);
        Assert.NotEqual(first.HubId, second.HubId);
        Assert.Equal(["A"], (await PaperTitlesAsync(first.HubId)));
        Assert.Equal(["B"], (await PaperTitlesAsync(second.HubId)));
    }

    // A page its address finds stays with that hub, even when an earlier hub has the arXiv id, DOI or title
    // the page now gives.
    [Theory]
    [InlineData("arxiv")]
    [InlineData("doi")]
    [InlineData("title")]
    public async Task SaveHubPageAsync_keeps_a_page_its_address_finds_with_that_hub_when_an_earlier_hub_shares_its_arxiv_id_doi_or_title(string shared)
    {
        var earlierPage = Page(Paper("A")) with
        {
            Title = shared == "title" ? "Shared title" : "Earlier",
            ArxivId = shared == "arxiv" ? "1706.03762" : "",
            Doi = shared == "doi" ? "10.48550/arXiv.1706.03762" : "",
        };
        var earlier = await Store.SaveHubPageAsync(earlierPage, shared == "title" ? "" : "https://example.org/hubs/earlier", T0, Labeler, Ct);
        var later = await Store.SaveHubPageAsync(Page(Paper("B")) with { Title = "Later" }, OtherUrl, T0, Labeler, Ct);
        Assert.True(later.HubCreated);

        var resaved = await Store.SaveHubPageAsync(
            Page(Paper("B")) with { Title = shared == "title" ? "Shared title" : "Later", ArxivId = earlierPage.ArxivId, Doi = earlierPage.Doi }, OtherUrl, T1, Labeler, Ct);

        Assert.Equal(new PageSaveResult(later.HubId, HubCreated: false, HubUpdated: true, PapersAdded: 0, PapersUpdated: 0, PapersUnchanged: 1, PapersLabelled: 0, PapersAwaitingLabels: 0), resaved);
        Assert.Equal(["A"], await PaperTitlesAsync(earlier.HubId));
        Assert.Equal(["B"], await PaperTitlesAsync(later.HubId));
    }

    protected const string OtherUrl = "https://example.org/hubs/attention";

    protected async Task<List<string>> PaperTitlesAsync(string hubId) =>
        await Store.ReadCitingPapersAsync(hubId, CitingPaperFilter.None, null, null, Ct).Select(paper => paper.Title).ToListAsync(Ct);

    protected static HubPage Page(params PageCitingPaper[] papers) => new()
    {
        Title = "Attention Is All You Need",
        Abstract = "The dominant sequence transduction models are based on complex recurrent networks.",
        TierLabel = "hub",
        StatedCitingCount = 3,
        CitingPapers = papers,
    };

    protected static PageCitingPaper Paper(string title, string? summary = null) => new() { Title = title, Summary = summary };

    /// <summary>Method .9 / Neutral .8 for every paper; records the summaries it was given.</summary>
    protected sealed class FixedLabeler : ISummaryLabeler
    {
        public List<string> Summaries { get; } = [];

        public string RoleModelVersion => "role-v1";

        public string PolarityModelVersion => "polarity-v1";

        public string RoleWithContextVersion => "role-v1+sentence";

        public string PolarityWithContextVersion => "polarity-v1+sentence";

        public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken)
        {
            lock (Summaries)
            {
                Summaries.AddRange(papers.Select(paper => paper.Summary));
            }
            return [.. papers.Select(paper => new PaperLabels(
                new LabelPrediction<CitationRole>(CitationRole.Method, 0.9f,
                    new Dictionary<CitationRole, float> { [CitationRole.Method] = 0.9f, [CitationRole.Other] = 0.1f },
                    paper.Source == LabelSource.Summary ? RoleModelVersion : RoleWithContextVersion),
                new LabelPrediction<CitationPolarity>(CitationPolarity.Neutral, 0.8f,
                    new Dictionary<CitationPolarity, float> { [CitationPolarity.Neutral] = 0.8f, [CitationPolarity.Supporting] = 0.2f },
                    paper.Source == LabelSource.Summary ? PolarityModelVersion : PolarityWithContextVersion),
                paper.Source))];
        }
    }
}

/// <summary><see cref="SavePathTests"/> on a SQLite file in a per-test temp folder, plus SQLite-only checks.</summary>
public sealed class SqliteSavePathTests : SavePathTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "citation-save-path-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "citations.db");

    protected override ICitationStore CreateStore() => new SqliteCitationStore(DatabasePath);

    protected override async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: Ct))];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary><see cref="SavePathTests"/> on a fresh database on the test PostgreSQL server, plus PostgreSQL-only checks.</summary>
public sealed class PostgreSqlSavePathTests : SavePathTests
{
    private PostgresStoreDatabase _database = null!;

    private string ConnectionString => _database.ConnectionString;

    protected override ICitationStore CreateStore() => _database.CreateStore();

    public override async Task InitializeAsync()
    {
        _database = await PostgresStoreDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override Task<List<T>> QueryAsync<T>(string sql) => _database.QueryAsync<T>(sql, Ct);

    // Saves of one hub queue on a session advisory lock keyed by the hub: its Pith uuid (from the address or,
    // without one, from the document), else its address as given (trimmed), else its normalised title.
    [Theory]
    [InlineData("https://www.pith.science/citations/0B6F3C1E-2D4A-4E5B-8C7D-9F0A1B2C3D4E/?cat=cs.LG", "", "hub:0b6f3c1e-2d4a-4e5b-8c7d-9f0a1b2c3d4e")]
    [InlineData("", Uuid, "hub:0b6f3c1e-2d4a-4e5b-8c7d-9f0a1b2c3d4e")]
    [InlineData("  https://example.org/hubs/attention  ", "", "hub:https://example.org/hubs/attention")]
    [InlineData("", "", "hub:attention is all you need")]
    public async Task SaveHubPageAsync_waits_for_the_advisory_lock_of_the_hubs_queue_key(string sourceUrl, string sourceId, string queueKey)
    {
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync(Ct);
        await holder.ExecuteAsync("SELECT pg_advisory_lock(hashtextextended(@Key, 0))", new { Key = queueKey });

        var save = Task.Run(() => Store.SaveHubPageAsync(Page(Paper("A", "Uses it.")) with { SourceId = sourceId }, sourceUrl, T0, Labeler, Ct));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!save.IsCompleted && await WaitingAdvisoryLocksAsync(holder) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the save neither waited nor finished");
            await Task.Delay(20, Ct);
        }

        Assert.False(save.IsCompleted, "the save did not wait for its hub's queue");
        await holder.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@Key, 0))", new { Key = queueKey });
        var result = await save;
        Assert.True(result.HubCreated);
        Assert.Equal(1, result.PapersAdded);
    }

    private static Task<long> WaitingAdvisoryLocksAsync(NpgsqlConnection connection) =>
        connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
}

/// <summary>What <c>SqlCitationStore</c> checks before any database is involved.</summary>
public sealed class SavePathWithoutDatabaseTests
{
    [Fact]
    public void Constructor_throws_ArgumentNullException_naming_the_dialect_when_it_is_null()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => new StoreWithoutEngine(null!));

        Assert.Equal("dialect", exception.ParamName);
    }

    // An engine that supplies nothing: only the base constructor runs.
    private sealed class StoreWithoutEngine(SqlDialect dialect) : SqlCitationStore(dialect)
    {
        protected override IReadOnlyList<SchemaMigration> Migrations => throw new NotSupportedException();

        protected override Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true) => throw new NotSupportedException();

        protected override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, string? queueKey, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken) => throw new NotSupportedException();

        private protected override Task<IReadOnlyList<long>> ReservePaperKeysAsync(DbConnection connection, DbTransaction transaction, int count, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
