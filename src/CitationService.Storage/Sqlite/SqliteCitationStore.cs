using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CitationService.Storage.Sqlite;

/// <summary>
/// <see cref="SqlCitationStore"/> over one SQLite file (WAL mode). Writes are serialised by a semaphore
/// (SQLite has a single writer) and each runs in one <c>BEGIN IMMEDIATE</c> transaction; reads run concurrently
/// with the writer. Short reads (a hub, a paper, a page of papers) run on connections the store keeps open, two
/// per core, with their statements prepared; the others open a pooled connection each.
/// </summary>
public sealed class SqliteCitationStore : SqlCitationStore
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> AllMigrations =
        new(() => SchemaMigration.Load(typeof(SqliteCitationStore).Assembly, "CitationService.Storage.Sqlite.Migrations."));

    private readonly string _connectionString;
    private readonly string _unpooledConnectionString;
    private readonly int _lockTimeoutMilliseconds;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Short reads run on the request's thread (Microsoft.Data.Sqlite's calls are synchronous), so about as many
    // run at once as there are threads busy: two per core keeps one for nearly every read.
    private static readonly int KeptReadConnections = 2 * Environment.ProcessorCount;

    /// <summary>Uses (and creates when missing) the database file at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file; its directory is created when missing.</param>
    /// <param name="lockTimeout">How long a statement waits for a lock another connection holds; 30 s when null.</param>
    public SqliteCitationStore(string databasePath, TimeSpan? lockTimeout = null)
        : base(Dialect.Instance, KeptReadConnections)
    {
        var timeout = lockTimeout ?? StorageOptions.DefaultLockTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromSeconds(1), nameof(lockTimeout));
        _lockTimeoutMilliseconds = (int)timeout.TotalMilliseconds;
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            // Microsoft.Data.Sqlite's own retry of a busy statement stops at the same time as SQLite's busy handler.
            DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
        }.ToString();
        _unpooledConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<SchemaMigration> Migrations => AllMigrations.Value;

    /// <inheritdoc />
    protected override async Task<IAsyncDisposable> LockForMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new Release(_writeLock);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    /// <inheritdoc />
    protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <inheritdoc />
    protected override Task RunMigrationCodeAsync(int version, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        version == HubIdentityMigration.Version
            ? HubIdentityMigration.RunAsync((SqliteConnection)connection, (SqliteTransaction)transaction, cancellationToken)
            : Task.CompletedTask;

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true)
    {
        var connection = new SqliteConnection(pooled ? _connectionString : _unpooledConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // SQLite's lower() folds ASCII only; this folds every script the way .NET does.
            connection.CreateFunction("casefold", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
            // Waits for a lock another connection holds before failing with SQLITE_BUSY (PRAGMA busy_timeout).
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, _lockTimeoutMilliseconds);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Every write queues for SQLite's single writer, whatever <paramref name="queueKey"/>.</remarks>
    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, string? queueKey, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>The next keys after the greatest stored: the write transaction holds SQLite's one write lock.</remarks>
    private protected override async Task<IReadOnlyList<long>> ReservePaperKeysAsync(DbConnection connection, DbTransaction transaction, int count, CancellationToken cancellationToken)
    {
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(max(paper_key), 0) FROM citing_papers;", transaction: transaction, cancellationToken: cancellationToken));
        var keys = new long[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = last + 1 + i;
        }
        return keys;
    }

    /// <inheritdoc />
    /// <remarks>One statement per paper, prepared once (<see cref="ExecuteForEach"/>).</remarks>
    private protected override Task InsertPapersAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PaperRow> rows, CancellationToken cancellationToken)
    {
        ExecuteForEach(connection, transaction, InsertPaperSql, PaperParameters, rows, cancellationToken);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>One statement per label, prepared once (<see cref="ExecuteForEach"/>).</remarks>
    private protected override Task InsertLabelsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LabelRow> rows, CancellationToken cancellationToken)
    {
        ExecuteForEach(connection, transaction, UpsertLabelSql, LabelParameters, rows, cancellationToken);
        return Task.CompletedTask;
    }

    // The parameters of InsertPaperSql and UpsertLabelSql, each with its value in a row.
    private static readonly (string Name, Func<PaperRow, object?> Value)[] PaperParameters =
    [
        ("@PaperKey", r => r.PaperKey), ("@Id", r => r.Id), ("@HubId", r => r.HubId), ("@Position", r => r.Position),
        ("@Title", r => r.Title), ("@NormalizedTitle", r => r.NormalizedTitle), ("@Summary", r => r.Summary),
        ("@ArxivId", r => r.ArxivId), ("@PrimaryCategory", r => r.PrimaryCategory), ("@SubmittedDate", r => r.SubmittedDate),
        ("@Verdict", r => r.Verdict), ("@NoveltyScore", r => r.NoveltyScore), ("@ReferenceCount", r => r.ReferenceCount),
        ("@Representative", r => r.Representative), ("@SubmittedAt", r => r.SubmittedAt), ("@LinkConfidence", r => r.LinkConfidence),
        ("@ContextText", r => r.ContextText), ("@ContextCount", r => r.ContextCount), ("@SourceRole", r => r.SourceRole),
        ("@SourcePolarity", r => r.SourcePolarity), ("@SourceLabelsFrom", r => r.SourceLabelsFrom),
    ];

    private static readonly (string Name, Func<LabelRow, object?> Value)[] LabelParameters =
    [
        ("@PaperKey", r => r.PaperKey), ("@Task", r => r.Task), ("@Label", r => r.Label), ("@Confidence", r => r.Confidence),
        ("@Probabilities", r => r.Probabilities), ("@Source", r => r.Source), ("@SourceVersion", r => r.SourceVersion),
        ("@Input", r => r.Input),
    ];

    /// <summary>
    /// Runs <paramref name="sql"/> once per row on one command: the statement is prepared once, and each parameter,
    /// added once under its <c>@</c> name, is found by that name. (Dapper, given a list, adds each row's parameters
    /// anew under names without the <c>@</c>, which Microsoft.Data.Sqlite then looks up under each prefix in turn:
    /// four lookups, each with a string built and converted to UTF-8, per column per row; a third of an ingest's write.)
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="parameters"/> are not the parameters of <paramref name="sql"/>.</exception>
    private static void ExecuteForEach<T>(DbConnection connection, DbTransaction transaction, string sql, (string Name, Func<T, object?> Value)[] parameters, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        StatementParameters.Check(sql, Array.ConvertAll(parameters, p => p.Name));
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        var bound = Array.ConvertAll(parameters, p => command.Parameters.Add(new SqliteParameter(p.Name, null)));
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Length; i++)
            {
                bound[i].Value = parameters[i].Value(row) ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    /// <remarks>A deferred transaction: its first read fixes the snapshot every later read sees.</remarks>
    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Dialect : SqlDialect
    {
        public static Dialect Instance { get; } = new();

        // A negative LIMIT is none.
        public override int? NoLimit => -1;

        public override string EqualsIgnoringCase(string column, string parameter) => $"{column} = {parameter} COLLATE NOCASE";

        public override string Contains(string text, string parameter) => $"instr({text}, {parameter}) > 0";

        // casefold is the .NET function each connection registers (OpenAsync).
        public override string FoldCase(string text) => $"casefold({text})";

        // Dapper expands the list into one parameter per value.
        public override string InList(string column, string parameter) => $"{column} IN {parameter}";

        // One JSON array, read back by SQLite's json_each.
        public override string InStringSet(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

        public override object StringSet(string[] values) => JsonSerializer.Serialize(values);
    }
}
