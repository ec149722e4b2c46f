using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace CitationService.Storage.PostgreSql;

/// <summary>
/// <see cref="SqlCitationStore"/> over a PostgreSQL database (or a PostgreSQL-compatible engine), which
/// several replicas of the service may share. Writes run in <c>SERIALIZABLE</c> transactions: two writers
/// of one hub, in this process or another, give the result of one after the other; the one the database
/// aborts (serialisation failure, deadlock, or a key the other inserted first) runs again from the start.
/// Migrations take a session advisory lock, so replicas starting together apply each migration once.
/// </summary>
public sealed class PostgreSqlCitationStore : SqlCitationStore
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> AllMigrations =
        new(() => SchemaMigration.Load(typeof(PostgreSqlCitationStore).Assembly, "CitationService.Storage.PostgreSql.Migrations."));

    // pg_advisory_lock key of schema migrations: the first 8 bytes of SHA-256("citations.schema_migrations"),
    // big-endian, so it does not collide with another application's keys on a shared server.
    private const long MigrationLockKey = 0x7da9_dd82_b15b_c56c;

    /// <summary>How many times a write transaction the database aborted for a concurrent writer runs.</summary>
    internal const int MaxWriteAttempts = 10;

    // SQLSTATEs of a transaction aborted for a concurrent one: it may succeed when run again.
    private static readonly HashSet<string> RetriedStates =
    [
        PostgresErrorCodes.SerializationFailure,
        PostgresErrorCodes.DeadlockDetected,
        PostgresErrorCodes.UniqueViolation,
    ];

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Uses the database <paramref name="connectionString"/> names; the schema is created by <see cref="SqlCitationStore.MigrateAsync"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="lockTimeout">How long a statement waits for a row or table lock before failing (PostgreSQL <c>lock_timeout</c>); 30 s when null.</param>
    public PostgreSqlCitationStore(string connectionString, TimeSpan? lockTimeout = null)
        : base(Dialect.Instance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var timeout = lockTimeout ?? StorageOptions.DefaultLockTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromSeconds(1), nameof(lockTimeout));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // The store runs a few dozen statements over and over: prepared once per physical connection.
            builder.MaxAutoPrepare = 64;
        }
        builder.Options = $"{builder.Options} -c lock_timeout={(long)timeout.TotalMilliseconds}".Trim();
        // NpgsqlConnectionStringBuilder.ContainsKey is true of every keyword it knows; the plain builder holds only those given.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            // The store leaves no session state on a connection it returns (its advisory locks are released,
            // or UnlockAsync drops the connection from the pool), so the reset batch Npgsql would send ahead
            // of the next call is pure cost: about half the database's CPU of a one-row look-up.
            builder.NoResetOnClose = true;
        }
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The connection string the store's connections use, as completed from the one given.</summary>
    internal string ConnectionString => _dataSource.ConnectionString;

    /// <inheritdoc />
    protected override IReadOnlyList<SchemaMigration> Migrations => AllMigrations.Value;

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    /// <inheritdoc />
    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        return new AdvisoryLock(connection);
    }

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Connections come from the data source's pool whether <paramref name="pooled"/> or not: the pool's maximum size bounds the server's connections.</remarks>
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// A <paramref name="queueKey"/> is a session advisory lock taken before the transaction begins (so its
    /// snapshot is taken after the previous holder committed) and released after it ends: saves of one hub
    /// wait for each other instead of aborting each other. Writes the database still aborts for a
    /// concurrent one run again, up to <see cref="MaxWriteAttempts"/> times, after a random pause that
    /// grows with each attempt.
    /// </remarks>
    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, string? queueKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            if (queueKey is not null)
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtextextended(@Key, 0))", queueKey, cancellationToken);
            }
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
                var result = await write(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException exception) when (attempt < MaxWriteAttempts && RetriedStates.Contains(exception.SqlState))
            {
            }
            finally
            {
                if (queueKey is not null)
                {
                    await UnlockAsync(connection, "SELECT pg_advisory_unlock(hashtextextended(@Key, 0))", queueKey);
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(attempt, 7))), cancellationToken);
        }
    }

    // Values of the key column's own sequence: one call, however many papers. Not transactional, so keys a
    // rolled-back write reserved are never given again (gaps are harmless; only the order matters).
    private const string ReservePaperKeysSql = """
        SELECT nextval(pg_get_serial_sequence('citing_papers', 'paper_key')) FROM generate_series(1, @Count) ORDER BY 1;
        """;

    /// <inheritdoc />
    private protected override async Task<IReadOnlyList<long>> ReservePaperKeysAsync(DbConnection connection, DbTransaction transaction, int count, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<long>(new CommandDefinition(ReservePaperKeysSql, new { Count = count }, transaction, cancellationToken: cancellationToken))).AsList();

    // The columns of SqlCitationStore.InsertPaperSql, in the order InsertPapersAsync writes them.
    private const string CopyPapersSql = """
        COPY citing_papers (paper_key, id, hub_id, position, title, normalized_title, summary, arxiv_id, primary_category,
                            submitted_date, verdict, novelty_score, reference_count, representative,
                            submitted_at, link_confidence, context_text, context_count,
                            source_role, source_polarity, source_labels_from)
        FROM STDIN (FORMAT BINARY)
        """;

    // The columns of SqlCitationStore.UpsertLabelSql, in the order InsertLabelsAsync writes them.
    private const string CopyLabelsSql = """
        COPY citing_paper_labels (paper_key, task, label, confidence, probabilities, source, source_version, input)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <inheritdoc />
    /// <remarks>One binary COPY: a page of 100,000 papers is one stream, not 100,000 round trips.</remarks>
    private protected override async Task InsertPapersAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PaperRow> rows, CancellationToken cancellationToken)
    {
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(CopyPapersSql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.PaperKey, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Id, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.HubId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Position, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Title, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.NormalizedTitle, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, row.Summary, cancellationToken);
            await importer.WriteAsync(row.ArxivId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.PrimaryCategory, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, row.SubmittedDate, cancellationToken);
            await importer.WriteAsync(row.Verdict, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, row.NoveltyScore, cancellationToken);
            await WriteAsync(importer, row.ReferenceCount, cancellationToken);
            await importer.WriteAsync(row.Representative, NpgsqlDbType.Bigint, cancellationToken);
            await WriteAsync(importer, row.SubmittedAt, cancellationToken);
            await WriteAsync(importer, row.LinkConfidence, cancellationToken);
            await WriteAsync(importer, row.ContextText, cancellationToken);
            await WriteAsync(importer, row.ContextCount, cancellationToken);
            await importer.WriteAsync(row.SourceRole, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SourcePolarity, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SourceLabelsFrom, NpgsqlDbType.Text, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One binary COPY, as for the papers.</remarks>
    private protected override async Task InsertLabelsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LabelRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(CopyLabelsSql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.PaperKey, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Task, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Label, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Confidence, NpgsqlDbType.Double, cancellationToken);
            await importer.WriteAsync(row.Probabilities, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Source, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SourceVersion, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Input, NpgsqlDbType.Bigint, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken) =>
        value is { } number ? importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, double? value, CancellationToken cancellationToken) =>
        value is { } number ? importer.WriteAsync(number, NpgsqlDbType.Double, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    private static Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, sql, key: null, cancellationToken);

    private static async Task ExecuteAsync(DbConnection connection, string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = (NpgsqlCommand)connection.CreateCommand();
        command.CommandText = sql;
        if (key is not null)
        {
            command.Parameters.AddWithValue("Key", key);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Releases a session advisory lock. A connection that cannot release it leaves the pool when it is
    /// returned, so no later call inherits the lock (the session ends and the server releases it).
    /// </summary>
    private static async Task UnlockAsync(NpgsqlConnection connection, string sql, string? key)
    {
        try
        {
            await ExecuteAsync(connection, sql, key, CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
    }

    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await UnlockAsync((NpgsqlConnection)connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", key: null);
    }

    private sealed class Dialect : SqlDialect
    {
        public static Dialect Instance { get; } = new();

        // LIMIT NULL is none.
        public override int? NoLimit => null;

        // Served by the expression indexes on lower(arxiv_id) and lower(doi).
        public override string EqualsIgnoringCase(string column, string parameter) => $"lower({column}) = lower({parameter})";

        public override string Contains(string text, string parameter) => $"strpos({text}, {parameter}) > 0";

        // ICU's root locale folds every script, whatever the database's own collation (text columns are "C").
        public override string FoldCase(string text) => $"lower({text} COLLATE \"und-x-icu\")";

        // Npgsql sends a list as one array parameter.
        public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

        public override string InStringSet(string column, string parameter) => InList(column, parameter);

        public override object StringSet(string[] values) => values;
    }
}
