using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;
using CitationService.Core.Storage;
using Dapper;

namespace CitationService.Storage;

/// <summary>
/// <see cref="ICitationStore"/> over a relational engine with Dapper: the statements, the page-save
/// transaction and the row mapping every engine shares. An engine's store supplies connections, its write
/// transactions (and how concurrent writers are kept apart), its migrations and a <see cref="SqlDialect"/>
/// for the few expressions engines spell differently.
/// </summary>
public abstract class SqlCitationStore : ICitationStore, IAsyncDisposable
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    private readonly SqlDialect _dialect;
    private readonly string _findHubByArxivIdForSaveSql;
    private readonly string _findHubByDoiForSaveSql;
    private readonly string _getHubByArxivIdSql;
    private readonly string _getHubByDoiSql;
    private readonly string _listHubsSql;
    private readonly string _readCitingPapersSql;
    private readonly string _selectPagePapersSql;
    private readonly ReadSessions _reads;

    /// <param name="dialect">How this engine spells the expressions engines differ on.</param>
    /// <param name="keptReadConnections">
    /// How many idle connections the store keeps open for its next short reads (a hub, a paper, a page of papers),
    /// each with the statements it has run prepared; 0 opens a connection per read.
    /// </param>
    protected SqlCitationStore(SqlDialect dialect, int keptReadConnections = 0)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        _dialect = dialect;
        _reads = new ReadSessions(cancellationToken => OpenAsync(cancellationToken), keptReadConnections);
        _findHubByArxivIdForSaveSql = FindHubByIdentifierForSaveSql(dialect, "h.arxiv_id");
        _findHubByDoiForSaveSql = FindHubByIdentifierForSaveSql(dialect, "h.doi");
        _getHubByArxivIdSql = GetHubByIdentifierSql(dialect, "h.arxiv_id");
        _getHubByDoiSql = GetHubByIdentifierSql(dialect, "h.doi");
        _listHubsSql = ListHubsSql(dialect);
        _readCitingPapersSql = ReadCitingPapersSql(dialect);
        _selectPagePapersSql = SelectPagePapersSql(dialect);
    }

    // ---------------------------------------------------------------- what an engine supplies

    /// <summary>The engine's versioned migrations, in version order.</summary>
    protected abstract IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>An open connection; <paramref name="pooled"/> false for a long read that should not keep a pooled connection idle afterwards.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true);

    /// <summary>
    /// Runs <paramref name="write"/> in one write transaction and commits it. The engine decides how
    /// concurrent writers are kept apart; <paramref name="write"/> may run more than once (a retried
    /// transaction), so it reads everything it writes from within the transaction.
    /// </summary>
    /// <param name="write">The transaction's work.</param>
    /// <param name="queueKey">
    /// Writes with the same key, from any process, run one after the other rather than collide (the saves of
    /// one hub); null when the write needs no queue.
    /// </param>
    /// <param name="cancellationToken">Stops the write; nothing of it is committed.</param>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, string? queueKey, CancellationToken cancellationToken);

    /// <summary>A read-only transaction whose statements all see one snapshot.</summary>
    protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction one migration runs in.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Holds off every other migration of the same database (in any process) until disposed, and prepares
    /// the connection for migrating.
    /// </summary>
    protected abstract Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// The keys of <paramref name="count"/> papers about to be stored, in storage order: greater than every key
    /// given before, on any connection. Written with the papers, and with their labels.
    /// </summary>
    private protected abstract Task<IReadOnlyList<long>> ReservePaperKeysAsync(DbConnection connection, DbTransaction transaction, int count, CancellationToken cancellationToken);

    /// <summary>Inserts new citing papers (every column of <see cref="InsertPaperSql"/>); one statement per paper unless the engine has a bulk path.</summary>
    private protected virtual Task InsertPapersAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PaperRow> rows, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertPaperSql, rows, transaction, cancellationToken: cancellationToken));

    /// <summary>Inserts the labels of new citing papers (none stored yet); one statement per label unless the engine has a bulk path.</summary>
    private protected virtual Task InsertLabelsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LabelRow> rows, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(UpsertLabelSql, rows, transaction, cancellationToken: cancellationToken));

    /// <summary>Data changes SQL alone cannot express, run after migration <paramref name="version"/>'s SQL in its transaction.</summary>
    protected virtual Task RunMigrationCodeAsync(int version, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Closes the connections the store keeps open for its next reads; the next read opens one again.</summary>
    public ValueTask CloseIdleConnectionsAsync() => _reads.CloseIdleAsync();

    /// <summary>How many connections the store keeps open, idle, for its next reads.</summary>
    internal int IdleReadConnections => _reads.IdleCount;

    /// <summary>Closes the connections the store keeps open for reads, and each one a read under way gives back.</summary>
    public virtual ValueTask DisposeAsync() => _reads.DisposeAsync();

    // ---------------------------------------------------------------- migrations

    private const string CreateMigrationsTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            applied_at TEXT    NOT NULL
        );
        """;

    private const string IsMigrationAppliedSql = """
        SELECT count(*) FROM schema_migrations WHERE version = @Version;
        """;

    private const string RecordMigrationSql = """
        INSERT INTO schema_migrations (version, applied_at) VALUES (@Version, @AppliedAt);
        """;

    private const string PingSql = """
        SELECT count(*) FROM schema_migrations;
        """;

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(PingSql, cancellationToken: cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>Each migration runs in its own transaction with its record in <c>schema_migrations</c>.</remarks>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var migrationLock = await LockForMigrationAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(CreateMigrationsTableSql, cancellationToken: cancellationToken));
        foreach (var migration in Migrations)
        {
            await using var transaction = await BeginMigrationAsync(connection, cancellationToken);
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                IsMigrationAppliedSql, new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (applied > 0)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, null, transaction, cancellationToken: cancellationToken));
            await RunMigrationCodeAsync(migration.Version, connection, transaction, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                RecordMigrationSql,
                new { migration.Version, AppliedAt = FormatTimestamp(DateTimeOffset.UtcNow) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // ---------------------------------------------------------------- saving pages

    private const string PaperColumns = """
        c.paper_key AS PaperKey, c.id AS Id, c.hub_id AS HubId, c.position AS Position, c.title AS Title,
        c.normalized_title AS NormalizedTitle, c.summary AS Summary, c.arxiv_id AS ArxivId,
        c.primary_category AS PrimaryCategory, c.submitted_date AS SubmittedDate, c.verdict AS Verdict,
        c.novelty_score AS NoveltyScore, c.reference_count AS ReferenceCount, c.representative AS Representative,
        lr.source_version AS RoleModelVersion, lp.source_version AS PolarityModelVersion,
        c.submitted_at AS SubmittedAt, c.link_confidence AS LinkConfidence, c.context_text AS ContextText,
        c.context_count AS ContextCount, c.source_role AS SourceRole, c.source_polarity AS SourcePolarity,
        c.source_labels_from AS SourceLabelsFrom
        """;

    private const string FindHubByPithIdSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.pith_id = @PithId AND h.pith_id <> '';
        """;

    private const string FindHubByUrlSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.source_url = @SourceUrl AND h.source_url <> ''
        ORDER BY h.ingested_at, h.id
        LIMIT 1;
        """;

    // One work across sources: a hub with the page's arXiv id or DOI, unless it is another Pith hub.
    private static string FindHubByIdentifierForSaveSql(SqlDialect dialect, string column) => $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE {{dialect.EqualsIgnoringCase(column, "@Value")}} AND {{column}} <> '' AND (@PithId = '' OR h.pith_id = '')
        ORDER BY h.ingested_at, h.id
        LIMIT 1;
        """;

    // A hub stored under another non-empty URL is another page: a shared (often placeholder) title
    // must not merge them.
    private const string FindHubByTitleSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.normalized_title = @NormalizedTitle
          AND (@SourceUrl = '' OR h.source_url = '' OR h.source_url = @SourceUrl)
        ORDER BY h.ingested_at, h.id
        LIMIT 1;
        """;

    private const string FindHubByIdForSaveSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.id = @Id;
        """;

    private const string InsertHubSql = """
        INSERT INTO hubs (id, title, normalized_title, abstract, tier_label, stated_citing_count, source_url,
                          arxiv_id, doi, stated_role_counts, stated_polarity_counts, ingested_at, updated_at, pith_id,
                          authors, year, venue)
        VALUES (@Id, @Title, @NormalizedTitle, @Abstract, @TierLabel, @StatedCitingCount, @SourceUrl,
                @ArxivId, @Doi, @StatedRoleCounts, @StatedPolarityCounts, @IngestedAt, @UpdatedAt, @PithId,
                @Authors, @Year, @Venue);
        """;

    private const string UpdateHubSql = """
        UPDATE hubs
        SET title = @Title, normalized_title = @NormalizedTitle, abstract = @Abstract, tier_label = @TierLabel,
            stated_citing_count = @StatedCitingCount, source_url = @SourceUrl, arxiv_id = @ArxivId, doi = @Doi,
            stated_role_counts = @StatedRoleCounts, stated_polarity_counts = @StatedPolarityCounts,
            updated_at = @UpdatedAt, pith_id = @PithId, authors = @Authors, year = @Year, venue = @Venue
        WHERE id = @Id;
        """;

    // The stored papers of a page, by id: the page's ids in one parameter.
    private static string SelectPagePapersSql(SqlDialect dialect) => $$"""
        SELECT {{PaperColumns}}
        {{CitingPaperReader.From}}
        WHERE c.hub_id = @HubId AND {{dialect.InStringSet("c.id", "@Ids")}};
        """;

    private const string SelectLastPositionSql = "SELECT coalesce(max(position), -1) FROM citing_papers WHERE hub_id = @HubId;";

    private const string CountHubSummariesSql = "SELECT count(*) FROM citing_papers WHERE hub_id = @HubId AND summary IS NOT NULL;";

    // A new paper: its labels, computed in the same transaction, follow in citing_paper_labels.
    private protected const string InsertPaperSql = """
        INSERT INTO citing_papers (paper_key, id, hub_id, position, title, normalized_title, summary, arxiv_id, primary_category,
                                   submitted_date, verdict, novelty_score, reference_count, representative,
                                   submitted_at, link_confidence, context_text, context_count,
                                   source_role, source_polarity, source_labels_from)
        VALUES (@PaperKey, @Id, @HubId, @Position, @Title, @NormalizedTitle, @Summary, @ArxivId, @PrimaryCategory,
                @SubmittedDate, @Verdict, @NoveltyScore, @ReferenceCount, @Representative,
                @SubmittedAt, @LinkConfidence, @ContextText, @ContextCount,
                @SourceRole, @SourcePolarity, @SourceLabelsFrom);
        """;

    // A task's label of a paper, replacing the one stored.
    private protected const string UpsertLabelSql = """
        INSERT INTO citing_paper_labels (paper_key, task, label, confidence, probabilities, source, source_version, input)
        VALUES (@PaperKey, @Task, @Label, @Confidence, @Probabilities, @Source, @SourceVersion, @Input)
        ON CONFLICT (paper_key, task) DO UPDATE SET
            label = excluded.label, confidence = excluded.confidence, probabilities = excluded.probabilities,
            source = excluded.source, source_version = excluded.source_version, input = excluded.input;
        """;

    private const string DeletePaperLabelsSql = """
        DELETE FROM citing_paper_labels WHERE paper_key = @PaperKey;
        """;

    // A paper's row as the page leaves it; the revision tells the background sweep that what it read of the
    // paper is gone. Every paper a page writes leaves it labelled (in this transaction) or without a summary.
    private const string UpdatePaperSql = """
        UPDATE citing_papers
        SET position = @Position, title = @Title, normalized_title = @NormalizedTitle, summary = @Summary,
            arxiv_id = @ArxivId, primary_category = @PrimaryCategory, submitted_date = @SubmittedDate,
            verdict = @Verdict, novelty_score = @NoveltyScore, reference_count = @ReferenceCount,
            representative = @Representative, submitted_at = @SubmittedAt, link_confidence = @LinkConfidence,
            context_text = @ContextText, context_count = @ContextCount, source_role = @SourceRole,
            source_polarity = @SourcePolarity, source_labels_from = @SourceLabelsFrom,
            awaiting_labels = 0, label_revision = label_revision + 1
        WHERE id = @Id;
        """;

    // The summary models read each summary together with its hub's title, abstract and tier label: when one
    // of those changes, every label of the hub is stale. The page's papers are labelled again in the same
    // transaction; the others await the background sweep.
    private const string ClearHubLabelsSql = """
        DELETE FROM citing_paper_labels WHERE paper_key IN (SELECT paper_key FROM citing_papers WHERE hub_id = @HubId);
        UPDATE citing_papers
        SET awaiting_labels = CASE WHEN summary IS NULL THEN 0 ELSE 1 END, label_revision = label_revision + 1
        WHERE hub_id = @HubId;
        """;

    /// <inheritdoc />
    /// <remarks>
    /// Identifiers (source URL, arXiv id, DOI) the page lacks keep their stored values; every other hub
    /// field takes the page's value. When a page lists the same paper twice, its first entry counts
    /// (the paper is representative when any entry is). The paper counts of the result count page fields
    /// only: a paper labelled again because the hub's text or the models changed is still unchanged.
    /// </remarks>
    public async Task<PageSaveResult> SaveHubPageAsync(
        HubPage page, string sourceUrl, DateTimeOffset now, ISummaryLabeler labeler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(labeler);
        var source = PageMerge.PageSource.From(sourceUrl, page.SourceId);
        var timestamp = FormatTimestamp(now);
        var normalizedTitle = TextNormalizer.NormalizeTitle(page.Title);
        // Pages of one hub queue behind each other: by its Pith uuid, else its address, else its title. Pages
        // that name one work differently (a DOI on another site) are kept apart by the engine's isolation.
        var queueKey = "hub:" + (source.PithId.Length > 0 ? source.PithId : source.Url.Length > 0 ? source.Url : normalizedTitle);

        return await WriteAsync(async (connection, transaction) =>
        {
            var stored = await FindHubForPageAsync(connection, transaction, source, page, normalizedTitle, cancellationToken);
            var hub = PageMerge.PlanHub(stored, page, source, timestamp);

            var hubUpdated = stored is not null && !PageMerge.SameHubFields(stored, hub);
            var hubTextChanged = stored is not null && !PageMerge.SameClassifierHubFields(stored, hub);
            if (stored is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertHubSql, hub, transaction, cancellationToken: cancellationToken));
            }
            else if (hubUpdated)
            {
                await connection.ExecuteAsync(new CommandDefinition(UpdateHubSql, hub, transaction, cancellationToken: cancellationToken));
            }
            if (source.IsFiltered)
            {
                await connection.ExecuteAsync(new CommandDefinition(UpsertHubViewSql, new
                {
                    HubId = hub.Id,
                    source.Filter,
                    page.StatedCitingCount,
                    StatedRoleCounts = JsonSerializer.Serialize(page.StatedRoleCounts),
                    StatedPolarityCounts = JsonSerializer.Serialize(page.StatedPolarityCounts),
                    UpdatedAt = timestamp,
                }, transaction, cancellationToken: cancellationToken));
            }

            // Of the hub's stored papers, only those the page lists are read: a page of a hub with many more papers
            // (a filtered view, one of several pages) costs its own size, not the hub's.
            var paperIds = PageMerge.PaperIds(page, hub.Id);
            var existing = new Dictionary<string, PaperRow>(StringComparer.Ordinal);
            var lastPosition = -1L;
            var awaiting = 0;
            if (stored is not null)
            {
                var ids = _dialect.StringSet([.. paperIds.Distinct(StringComparer.Ordinal)]);
                var rows = await connection.QueryAsync<PaperRow>(new CommandDefinition(
                    _selectPagePapersSql, new { HubId = hub.Id, Ids = ids }, transaction, cancellationToken: cancellationToken));
                foreach (var row in rows)
                {
                    existing[row.Id] = row;
                }
                lastPosition = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectLastPositionSql, new { HubId = hub.Id }, transaction, cancellationToken: cancellationToken));
                // The hub's papers with a summary that the page does not list: their labels go stale with the hub's text.
                awaiting = hubTextChanged
                    ? await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountHubSummariesSql, new { HubId = hub.Id }, transaction, cancellationToken: cancellationToken))
                      - existing.Values.Count(row => row.Summary is not null)
                    : 0;
            }
            if (hubTextChanged)
            {
                await connection.ExecuteAsync(new CommandDefinition(ClearHubLabelsSql, new { HubId = hub.Id }, transaction, cancellationToken: cancellationToken));
            }

            var labelsFrom = string.IsNullOrWhiteSpace(sourceUrl) ? source.Url : sourceUrl.Trim();
            var plan = PageMerge.PlanPapers(page, paperIds, hub.Id, existing, lastPosition, keepPositions: source.IsFiltered, labelsFrom, hubTextChanged, labeler);
            var labels = labeler.Label(new HubText(hub.Title, hub.Abstract, hub.TierLabel), plan.ToLabel.ConvertAll(row => new PaperText(row.Summary!, row.ContextText)), cancellationToken);
            for (var i = 0; i < labels.Count; i++)
            {
                plan.ToLabel[i].Labels = labels[i];
            }

            // Label rows are keyed by the paper's key: a stored paper keeps its own, new papers take the next ones.
            foreach (var row in plan.Writes)
            {
                row.PaperKey = existing[row.Id].PaperKey;
            }
            if (plan.Inserts.Count > 0)
            {
                var keys = await ReservePaperKeysAsync(connection, transaction, plan.Inserts.Count, cancellationToken);
                for (var i = 0; i < keys.Count; i++)
                {
                    plan.Inserts[i].PaperKey = keys[i];
                }
                await InsertPapersAsync(connection, transaction, plan.Inserts, cancellationToken);
                await InsertLabelsAsync(connection, transaction, LabelRowsOf(plan.Inserts), cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(RecountHubPapersSql, new { HubId = hub.Id }, transaction, cancellationToken: cancellationToken));
            }
            if (plan.Writes.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(UpdatePaperSql, plan.Writes, transaction, cancellationToken: cancellationToken));
                // A rewritten paper keeps its labels, gets new ones, or (its summary gone) loses them.
                await connection.ExecuteAsync(new CommandDefinition(UpsertLabelSql, LabelRowsOf(plan.Writes), transaction, cancellationToken: cancellationToken));
                var withoutSummary = plan.Writes.Where(row => row.Summary is null).Select(row => new { row.PaperKey }).ToList();
                await connection.ExecuteAsync(new CommandDefinition(DeletePaperLabelsSql, withoutSummary, transaction, cancellationToken: cancellationToken));
            }
            return new PageSaveResult(
                hub.Id, stored is null, hubUpdated, plan.Inserts.Count, plan.Updated, plan.Unchanged, labels.Count, awaiting);
        }, queueKey, cancellationToken);
    }

    // The label rows of the papers labelled in this save.
    private static List<LabelRow> LabelRowsOf(List<PaperRow> papers) =>
        [.. papers.Where(row => row.Labels is not null).SelectMany(row => LabelTasks.Rows(row.PaperKey, row.Labels!))];

    /// <summary>
    /// The hub a page belongs to: by Pith uuid, else (other sources) by address; then one work by its arXiv
    /// id or DOI; then by title, unless the stored hub came from another address.
    /// </summary>
    private async Task<HubRow?> FindHubForPageAsync(
        DbConnection connection, DbTransaction transaction, PageMerge.PageSource source, HubPage page, string normalizedTitle, CancellationToken cancellationToken)
    {
        async Task<HubRow?> Find(string sql, object args) =>
            (await HubRowReader.QueryAsync(connection, new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken))).SingleOrDefault();

        var stored = source.PithId.Length > 0 ? await Find(FindHubByPithIdSql, new { source.PithId })
            : source.Url.Length > 0 ? await Find(FindHubByUrlSql, new { SourceUrl = source.Url })
            : null;
        if (stored is null && page.ArxivId.Length > 0)
        {
            stored = await Find(_findHubByArxivIdForSaveSql, new { Value = page.ArxivId, source.PithId });
        }
        if (stored is null && page.Doi.Length > 0)
        {
            stored = await Find(_findHubByDoiForSaveSql, new { Value = page.Doi, source.PithId });
        }
        if (stored is null && normalizedTitle.Length > 0)
        {
            stored = await Find(FindHubByTitleSql, new { NormalizedTitle = normalizedTitle, SourceUrl = source.Url });
        }
        // The id this page would get may already be taken by a hub whose title or URL has moved on since.
        return stored ?? await Find(FindHubByIdForSaveSql, new { Id = StableIds.ForHub(source.Url, page.Title) });
    }

    // The newest statement of a view wins (the migration merges views of several stored hubs in any order).
    internal const string UpsertHubViewSql = """
        INSERT INTO hub_views (hub_id, filter, stated_citing_count, stated_role_counts, stated_polarity_counts, updated_at)
        VALUES (@HubId, @Filter, @StatedCitingCount, @StatedRoleCounts, @StatedPolarityCounts, @UpdatedAt)
        ON CONFLICT (hub_id, filter) DO UPDATE SET
            stated_citing_count = excluded.stated_citing_count, stated_role_counts = excluded.stated_role_counts,
            stated_polarity_counts = excluded.stated_polarity_counts, updated_at = excluded.updated_at
        WHERE excluded.updated_at >= hub_views.updated_at;
        """;

    // ---------------------------------------------------------------- hubs

    // A LIMIT of a bare parameter is a hint to SQLite's planner: every binding of it marks the statement to be
    // prepared again before it runs, which undoes keeping it prepared (ReadSessions); a hub look-up took twice as
    // long (bench/README.md). An expression of the parameter limits the rows the same way on both engines.
    private const string LimitClause = "LIMIT (@Limit + 0)";

    internal const string RecountHubPapersSql = """
        UPDATE hubs SET citing_paper_count = (SELECT count(*) FROM citing_papers c WHERE c.hub_id = @HubId)
        WHERE id = @HubId;
        """;

    // Every hub look-up takes the same two parameters (GetHubAsync); an id matches one hub at most.
    internal const string GetHubByIdSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.id = @Value
        {{LimitClause}};
        """;

    private const string GetHubByTitleSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.normalized_title = @Value
        ORDER BY h.ingested_at, h.id
        {{LimitClause}};
        """;

    private const string GetHubByPithIdSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.pith_id = @Value AND h.pith_id <> ''
        ORDER BY h.ingested_at, h.id
        {{LimitClause}};
        """;

    private const string GetHubBySourceUrlSql = $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE h.source_url = @Value AND h.source_url <> ''
        ORDER BY h.ingested_at, h.id
        {{LimitClause}};
        """;

    private static string GetHubByIdentifierSql(SqlDialect dialect, string column) => $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE {{dialect.EqualsIgnoringCase(column, "@Value")}} AND {{column}} <> ''
        ORDER BY h.ingested_at, h.id
        {{LimitClause}};
        """;

    /// <inheritdoc />
    /// <remarks>Titles compare normalised; arXiv ids and DOIs compare trimmed and case-insensitively.</remarks>
    /// <exception cref="AmbiguousHubLookupException">Several hubs match a title, arXiv id or DOI.</exception>
    public async Task<Hub?> GetHubAsync(HubLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var set = (lookup.HubId is not null ? 1 : 0) + (lookup.Title is not null ? 1 : 0)
            + (lookup.ArxivId is not null ? 1 : 0) + (lookup.Doi is not null ? 1 : 0) + (lookup.SourceUrl is not null ? 1 : 0);
        if (set != 1)
        {
            throw new ArgumentException("Exactly one of HubId, Title, ArxivId, Doi and SourceUrl must be set.", nameof(lookup));
        }
        var (sql, value) = lookup switch
        {
            { HubId: { } id } => (GetHubByIdSql, id),
            { Title: { } title } => (GetHubByTitleSql, TextNormalizer.NormalizeTitle(title)),
            { ArxivId: { } arxivId } => (_getHubByArxivIdSql, arxivId.Trim()),
            { Doi: { } doi } => (_getHubByDoiSql, doi.Trim()),
            _ => PageMerge.PageSource.From(lookup.SourceUrl) is { PithId.Length: > 0 } source
                ? (GetHubByPithIdSql, source.PithId)
                : (GetHubBySourceUrlSql, lookup.SourceUrl!.Trim()),
        };
        await using var read = await _reads.ReadAsync(
            sql, [("@Value", value), ("@Limit", AmbiguousHubLookupException.MaxIdsListed + 1)], cancellationToken);
        var rows = await HubRowReader.ReadAllAsync(read.Reader, cancellationToken);
        return rows.Count switch
        {
            0 => null,
            1 => ToHub(rows[0]),
            _ => throw new AmbiguousHubLookupException(rows.ConvertAll(row => row.Id)),
        };
    }

    private const string GetHubViewsSql = """
        SELECT filter AS Filter, stated_citing_count AS StatedCitingCount, stated_role_counts AS StatedRoleCounts,
               stated_polarity_counts AS StatedPolarityCounts, updated_at AS UpdatedAt
        FROM hub_views
        WHERE hub_id = @HubId
        ORDER BY filter;
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HubView>> GetHubViewsAsync(string hubId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hubId);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HubViewRow>(new CommandDefinition(GetHubViewsSql, new { HubId = hubId }, cancellationToken: cancellationToken));
        return rows.Select(row => new HubView(
            row.Filter,
            row.StatedCitingCount is { } stated ? checked((int)stated) : null,
            JsonSerializer.Deserialize<List<StatedLabelCount>>(row.StatedRoleCounts) ?? [],
            JsonSerializer.Deserialize<List<StatedLabelCount>>(row.StatedPolarityCounts) ?? [],
            ParseTimestamp(row.UpdatedAt))).ToList();
    }

    private static string ListHubsSql(SqlDialect dialect) => $$"""
        SELECT {{HubRowReader.Columns}}
        FROM hubs h
        WHERE (h.normalized_title, h.id) > (@AfterTitle, @AfterId)
          AND (@Query IS NULL OR {{dialect.Contains("h.normalized_title", "@Query")}})
        ORDER BY h.normalized_title, h.id
        {{LimitClause}};
        """;

    /// <inheritdoc />
    /// <remarks><paramref name="titleQuery"/> matches the normalised title (case, spacing and hyphenation ignored).</remarks>
    public async Task<IReadOnlyList<Hub>> ListHubsAsync(string? titleQuery, HubCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = titleQuery is null ? "" : TextNormalizer.NormalizeTitle(titleQuery);
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await HubRowReader.QueryAsync(connection, new CommandDefinition(
            _listHubsSql,
            new
            {
                AfterTitle = after?.NormalizedTitle ?? "",
                AfterId = after?.Id ?? "",
                Query = query.Length > 0 ? query : null,
                Limit = limit,
            },
            cancellationToken: cancellationToken));
        return rows.ConvertAll(ToHub);
    }

    // ---------------------------------------------------------------- citing papers

    private const string GetCitingPaperSql = $$"""
        SELECT {{CitingPaperReader.Columns}}
        {{CitingPaperReader.From}}
        WHERE c.id = @Id;
        """;

    /// <inheritdoc />
    public async Task<CitingPaper?> GetCitingPaperAsync(string citingPaperId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citingPaperId);
        await using var read = await _reads.ReadAsync(GetCitingPaperSql, [("@Id", citingPaperId)], cancellationToken);
        return await read.Reader.ReadAsync(cancellationToken) ? CitingPaperReader.Read(read.Reader) : null;
    }

    // Positions are >= 0, so (-1, '') precedes every row when there is no cursor; SqlDialect.NoLimit is no limit.
    // Without criteria (most lists, whole-hub streams) the statement is the keyset alone: it prepares in a
    // fraction of the time of the one with every criterion, and reads the same rows.
    private const string ReadAllCitingPapersSql = $$"""
        SELECT {{CitingPaperReader.Columns}}
        {{CitingPaperReader.From}}
        WHERE c.hub_id = @HubId
          AND (c.position, c.id) > (@AfterPosition, @AfterId)
        ORDER BY c.position, c.id
        {{LimitClause}};
        """;

    private static string ReadCitingPapersSql(SqlDialect dialect) => $$"""
        SELECT {{CitingPaperReader.Columns}}
        {{CitingPaperReader.From}}
        WHERE c.hub_id = @HubId
          AND (c.position, c.id) > (@AfterPosition, @AfterId)
          AND (@AnyRole = 0 OR {{dialect.InList("lr.label", "@Roles")}} OR (@UnclassifiedRole = 1 AND lr.label IS NULL))
          AND (@AnyPolarity = 0 OR {{dialect.InList("lp.label", "@Polarities")}} OR (@UnclassifiedPolarity = 1 AND lp.label IS NULL))
          AND (@MinRoleConfidence <= 0 OR lr.confidence >= @MinRoleConfidence)
          AND (@MinPolarityConfidence <= 0 OR lp.confidence >= @MinPolarityConfidence)
          AND (@PrimaryCategory IS NULL OR c.primary_category = @PrimaryCategory)
          AND (@SubmittedFrom IS NULL OR c.submitted_date >= @SubmittedFrom)
          AND (@SubmittedTo IS NULL OR c.submitted_date <= @SubmittedTo)
          AND (@Text IS NULL
               OR {{dialect.Contains(dialect.FoldCase("c.title"), "@Text")}}
               OR {{dialect.Contains(dialect.FoldCase("coalesce(c.summary, '')"), "@Text")}})
        ORDER BY c.position, c.id
        {{LimitClause}};
        """;

    /// <inheritdoc />
    public async IAsyncEnumerable<CitingPaper> ReadCitingPapersAsync(
        string hubId,
        CitingPaperFilter filter,
        CitingPaperCursor? after,
        int? limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hubId);
        ArgumentNullException.ThrowIfNull(filter);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
        }
        if (limit == 0)
        {
            yield break;
        }
        if (limit is { } pageSize && !filter.HasCriteria)
        {
            // A page without criteria (most lists): a short read, its statement prepared once per kept connection.
            await using var read = await _reads.ReadAsync(
                ReadAllCitingPapersSql,
                [("@HubId", hubId), ("@AfterPosition", after?.Position ?? -1), ("@AfterId", after?.Id ?? ""), ("@Limit", pageSize)],
                cancellationToken);
            while (await read.Reader.ReadAsync(cancellationToken))
            {
                yield return CitingPaperReader.Read(read.Reader, hubId);
                cancellationToken.ThrowIfCancellationRequested();
            }
            yield break;
        }

        var roles = filter.Roles.Where(r => r != CitationRole.Unspecified).Select(r => (int)r).Distinct().ToArray();
        var polarities = filter.Polarities.Where(p => p != CitationPolarity.Unspecified).Select(p => (int)p).Distinct().ToArray();
        var text = string.IsNullOrEmpty(filter.TextContains) ? null : filter.TextContains.ToLowerInvariant();
        var args = new
        {
            HubId = hubId,
            AfterPosition = after?.Position ?? -1,
            AfterId = after?.Id ?? "",
            AnyRole = filter.Roles.Count > 0 ? 1 : 0,
            Roles = roles,
            UnclassifiedRole = filter.Roles.Contains(CitationRole.Unspecified) ? 1 : 0,
            AnyPolarity = filter.Polarities.Count > 0 ? 1 : 0,
            Polarities = polarities,
            UnclassifiedPolarity = filter.Polarities.Contains(CitationPolarity.Unspecified) ? 1 : 0,
            filter.MinRoleConfidence,
            filter.MinPolarityConfidence,
            PrimaryCategory = string.IsNullOrEmpty(filter.PrimaryCategory) ? null : filter.PrimaryCategory,
            SubmittedFrom = FormatDate(filter.SubmittedFrom),
            SubmittedTo = FormatDate(filter.SubmittedTo),
            Text = text,
            Limit = limit ?? _dialect.NoLimit,
        };

        // An unbounded read (a stream) holds its connection as long as its caller takes: it gets one of its
        // own, closed when the read ends, so a burst of streams leaves no pool of idle connections behind.
        await using var connection = await OpenAsync(cancellationToken, pooled: limit is not null);
        var command = filter.HasCriteria
            ? new CommandDefinition(_readCitingPapersSql, args, cancellationToken: cancellationToken)
            : new CommandDefinition(ReadAllCitingPapersSql, new { args.HubId, args.AfterPosition, args.AfterId, args.Limit }, cancellationToken: cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(command);
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // Every row has the hub id asked for (an exact match): the caller's string is used, not a copy per row.
                yield return CitingPaperReader.Read(reader, hubId);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // A cancelled read stops its query before the reader closes: closing it reads every row still to come
            // (Npgsql does, and PostgreSQL goes on sending them), which held a cancelled stream of a large hub,
            // its handler and its connection, for as long as reading the whole hub.
            if (cancellationToken.IsCancellationRequested && reader is IWrappedDataReader { Command: { } running })
            {
                running.Cancel();
            }
        }
    }

    // ---------------------------------------------------------------- labels

    private const string CountPapersSql = """
        SELECT count(*) FROM citing_papers WHERE hub_id = @HubId;
        """;

    // Each task's labels of the hub's papers, by label and confidence band; a paper without a task's label
    // is unclassified for it (the hub's count less the task's labels).
    private const string CountLabelsSql = """
        SELECT l.task AS Task, l.label AS Label,
               CASE WHEN l.confidence >= @Threshold THEN 1 ELSE 0 END AS High,
               count(*) AS Count
        FROM citing_papers c JOIN citing_paper_labels l ON l.paper_key = c.paper_key
        WHERE c.hub_id = @HubId
        GROUP BY 1, 2, 3;
        """;

    // The service's labels beside the source's own, for papers that have both.
    private const string LabelsBesideSourceSql = $"""
        SELECT l.task AS Task, l.label AS Label,
               CASE l.task WHEN '{LabelTasks.Role}' THEN c.source_role WHEN '{LabelTasks.Polarity}' THEN c.source_polarity END AS Source,
               count(*) AS Count
        FROM citing_papers c JOIN citing_paper_labels l ON l.paper_key = c.paper_key
        WHERE c.hub_id = @HubId AND c.source_labels_from <> ''
        GROUP BY 1, 2, 3;
        """;

    /// <inheritdoc />
    /// <remarks>The dictionaries hold every classified label (not <c>Unspecified</c>), zero when no paper has it.</remarks>
    public async Task<HubLabelCounts> CountLabelsAsync(string hubId, float confidenceThreshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hubId);
        var args = new { HubId = hubId, Threshold = confidenceThreshold };
        await using var connection = await OpenAsync(cancellationToken);
        // One read transaction: the three counts see the same snapshot.
        await using var transaction = await BeginSnapshotAsync(connection, cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountPapersSql, args, transaction, cancellationToken: cancellationToken));
        var labelRows = (await connection.QueryAsync<LabelCountRow>(new CommandDefinition(CountLabelsSql, args, transaction, cancellationToken: cancellationToken))).ToList();
        var besideSource = (await connection.QueryAsync<SourceLabelCountRow>(new CommandDefinition(LabelsBesideSourceSql, args, transaction, cancellationToken: cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);

        var (roles, lowRoles, unclassifiedRoles) = Tally<CitationRole>(total, labelRows.Where(row => row.Task == LabelTasks.Role));
        var (polarities, lowPolarities, unclassifiedPolarities) = Tally<CitationPolarity>(total, labelRows.Where(row => row.Task == LabelTasks.Polarity));
        return new HubLabelCounts
        {
            CitingPaperCount = (int)total,
            Roles = roles,
            Polarities = polarities,
            LowConfidenceRoles = lowRoles,
            LowConfidencePolarities = lowPolarities,
            UnclassifiedRoles = unclassifiedRoles,
            UnclassifiedPolarities = unclassifiedPolarities,
            RoleAgreement = Agreement<CitationRole>(besideSource.Where(row => row.Task == LabelTasks.Role)),
            PolarityAgreement = Agreement<CitationPolarity>(besideSource.Where(row => row.Task == LabelTasks.Polarity)),
        };
    }

    // Only a source label that is one of the service's labels can agree or disagree with it.
    private static SourceAgreement Agreement<T>(IEnumerable<SourceLabelCountRow> rows)
        where T : struct, Enum
    {
        var (compared, agreed) = (0, 0);
        foreach (var row in rows)
        {
            var source = SourceLabels.LabelNamed<T>(row.Source);
            if (Convert.ToInt64(source, CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }
            compared += (int)row.Count;
            agreed += Convert.ToInt64(source, CultureInfo.InvariantCulture) == row.Label ? (int)row.Count : 0;
        }
        return new SourceAgreement(compared, agreed);
    }

    private static (Dictionary<T, int> High, Dictionary<T, int> Low, int Unclassified) Tally<T>(long papers, IEnumerable<LabelCountRow> rows)
        where T : struct, Enum
    {
        var high = new Dictionary<T, int>();
        var low = new Dictionary<T, int>();
        foreach (var label in Enum.GetValues<T>())
        {
            if (Convert.ToInt32(label, CultureInfo.InvariantCulture) != 0)
            {
                high[label] = 0;
                low[label] = 0;
            }
        }
        var unclassified = (int)papers;
        foreach (var row in rows)
        {
            if (row.Label == 0)
            {
                continue; // Unspecified is no label: the paper stays unclassified.
            }
            unclassified -= (int)row.Count;
            var label = (T)Enum.ToObject(typeof(T), row.Label);
            var target = row.High == 1 ? high : low;
            target[label] = target.GetValueOrDefault(label) + (int)row.Count;
        }
        return (high, low, unclassified);
    }

    // ---------------------------------------------------------------- classification

    private const string PaperToLabelColumns = """
        c.id AS Id, c.label_revision AS Revision, c.summary AS Summary, c.context_text AS ContextText,
        h.title AS HubTitle, h.abstract AS HubAbstract, h.tier_label AS HubTierLabel
        """;

    // Repeats the partial index's condition, so the engine reads the index, not the table.
    internal const string PapersAwaitingLabelsSql = $$"""
        SELECT {{PaperToLabelColumns}}
        FROM citing_papers c JOIN hubs h ON h.id = c.hub_id
        WHERE c.awaiting_labels = 1
        ORDER BY c.id
        {{LimitClause}};
        """;

    // Papers with a model's label of another version than the one such a label gets now: by task, and by the
    // texts read (the summary alone: the summary model's version; with the citation context: both models').
    private const string PapersLabelledByOtherModelsSql = $$"""
        SELECT {{PaperToLabelColumns}}
        FROM citing_papers c JOIN hubs h ON h.id = c.hub_id
        WHERE c.id > @AfterId
          AND c.summary IS NOT NULL
          AND EXISTS (
              SELECT 1 FROM citing_paper_labels l
              WHERE l.paper_key = c.paper_key AND l.source = '{{LabelTasks.ModelSource}}'
                AND l.source_version <> CASE WHEN l.task = '{{LabelTasks.Role}}' AND l.input = 0 THEN @Role
                                             WHEN l.task = '{{LabelTasks.Role}}' THEN @RoleWithContext
                                             WHEN l.task = '{{LabelTasks.Polarity}}' AND l.input = 0 THEN @Polarity
                                             WHEN l.task = '{{LabelTasks.Polarity}}' THEN @PolarityWithContext END)
        ORDER BY c.id
        {{LimitClause}};
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<PaperToLabel>> GetPapersAwaitingLabelsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await ReadPapersToLabelAsync(PapersAwaitingLabelsSql, new { Limit = limit }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PaperToLabel>> GetPapersLabelledByOtherModelsAsync(
        ISummaryLabeler current, string afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(afterId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await ReadPapersToLabelAsync(
            PapersLabelledByOtherModelsSql,
            new
            {
                Role = current.RoleModelVersion,
                RoleWithContext = current.RoleWithContextVersion,
                Polarity = current.PolarityModelVersion,
                PolarityWithContext = current.PolarityWithContextVersion,
                AfterId = afterId,
                Limit = limit,
            },
            cancellationToken);
    }

    private async Task<IReadOnlyList<PaperToLabel>> ReadPapersToLabelAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PaperToLabelRow>(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
        return rows.Select(row => new PaperToLabel(row.Id, row.Revision, row.Summary, new HubText(row.HubTitle, row.HubAbstract, row.HubTierLabel), row.ContextText)).ToList();
    }

    // Labels are written only when no ingest has touched the paper since it was read (compare-and-set on the
    // revision): this statement claims the paper, and its labels follow only if it did.
    private const string ClaimPaperToLabelSql = """
        UPDATE citing_papers SET awaiting_labels = 0
        WHERE id = @Id AND label_revision = @LabelRevision
        RETURNING paper_key;
        """;

    /// <inheritdoc />
    public async Task<int> SaveClassificationsAsync(IReadOnlyList<PaperClassification> classifications, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classifications);
        if (classifications.Count == 0)
        {
            return 0;
        }
        return await WriteAsync(async (connection, transaction) =>
        {
            var (labelled, saved) = (0, new List<LabelRow>());
            foreach (var classification in classifications)
            {
                var claimed = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    ClaimPaperToLabelSql, new { Id = classification.CitingPaperId, LabelRevision = classification.Revision }, transaction, cancellationToken: cancellationToken));
                if (claimed is { } paperKey)
                {
                    labelled++;
                    saved.AddRange(LabelTasks.Rows(paperKey, classification.Labels));
                }
            }
            await connection.ExecuteAsync(new CommandDefinition(UpsertLabelSql, saved, transaction, cancellationToken: cancellationToken));
            return labelled;
        }, queueKey: null, cancellationToken);
    }

    // ---------------------------------------------------------------- mapping

    private static Hub ToHub(HubRow row) => new()
    {
        Id = row.Id,
        Title = row.Title,
        Abstract = row.Abstract,
        TierLabel = row.TierLabel,
        StatedCitingCount = row.StatedCitingCount is { } stated ? checked((int)stated) : null,
        StoredCitingCount = checked((int)row.StoredCitingCount),
        SourceUrl = row.SourceUrl,
        ArxivId = row.ArxivId,
        Doi = row.Doi,
        PithId = row.PithId,
        Authors = row.Authors,
        Year = row.Year is { } year ? checked((int)year) : null,
        Venue = row.Venue,
        StatedRoleCounts = JsonSerializer.Deserialize<List<StatedLabelCount>>(row.StatedRoleCounts) ?? [],
        StatedPolarityCounts = JsonSerializer.Deserialize<List<StatedLabelCount>>(row.StatedPolarityCounts) ?? [],
        IngestedAt = ParseTimestamp(row.IngestedAt),
        UpdatedAt = ParseTimestamp(row.UpdatedAt),
    };

    internal static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal static string? FormatDate(DateOnly? value) =>
        value?.ToString(DateFormat, CultureInfo.InvariantCulture);
}
