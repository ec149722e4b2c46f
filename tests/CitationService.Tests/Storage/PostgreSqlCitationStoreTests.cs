using System.Buffers.Binary;
using System.Security.Cryptography;
using CitationService.Core.Storage;
using Dapper;
using Npgsql;
using CitationService.Storage.PostgreSql;
using CitationService.Tests.PostgreSql;

namespace CitationService.Tests.Storage;

/// <summary>The store suite against a fresh database on the test PostgreSQL server, plus PostgreSQL-only checks.</summary>
public sealed class PostgreSqlCitationStoreTests : CitationStoreTests
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

    // Replicas starting together each migrate the database they share.
    [Fact]
    public async Task MigrateAsync_from_several_stores_at_once_applies_each_migration_once()
    {
        await using var database = await PostgresStoreDatabase.CreateAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => database.CreateStore()).ToList();

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync(Ct))));

        Assert.Equal([1, 2, 3], await database.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version", Ct));
        var saved = await stores[3].SaveHubPageAsync(Page(Paper("A", "Uses it.")), "https://pith.example/hub/x", T0, Labeler, Ct);
        Assert.Equal(1, (await stores[0].GetHubAsync(new HubLookup(HubId: saved.HubId), Ct))!.StoredCitingCount);
    }

    [Fact]
    public async Task MigrateAsync_moves_each_papers_labels_to_one_row_per_task_when_upgrading_from_version_1()
    {
        await using var database = await PostgresStoreDatabase.CreateAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            var version1 = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "src", "CitationService.Storage", "PostgreSql", "Migrations", "0001_schema.sql"));
            await connection.ExecuteAsync(
                "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"
                + version1
                + "INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.0000000Z');"
                + LabelsByTaskMigration.InsertSql);
        }
        var store = database.CreateStore();

        await store.MigrateAsync(Ct);

        await LabelsByTaskMigration.AssertMovedAsync(store, Ct);
        Assert.Equal(LabelsByTaskMigration.ExpectedLabelRows, await database.QueryAsync<(string, string, string, string)>(LabelsByTaskMigration.LabelRowsSql, Ct));
        Assert.Equal(LabelsByTaskMigration.ExpectedPapersByKey, await database.QueryAsync<string>(LabelsByTaskMigration.PapersByKeySql, Ct));
    }

    // The migrations' advisory lock key: the first 8 bytes of SHA-256("citations.schema_migrations"), big-endian.
    private static readonly long MigrationLockKey = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData("citations.schema_migrations"u8));

    [Fact]
    public async Task MigrateAsync_waits_for_the_migration_lock_another_session_holds_and_releases_it_when_done()
    {
        await using var database = await PostgresStoreDatabase.CreateAsync();
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(Ct);
        await holder.ExecuteAsync("SELECT pg_advisory_lock(@Key)", new { Key = MigrationLockKey });
        var store = database.CreateStore();

        var migrating = Task.Run(() => store.MigrateAsync(Ct));
        Assert.True(await WaitsForAnAdvisoryLockAsync(holder, migrating));
        Assert.Null(await holder.ExecuteScalarAsync<string?>("SELECT to_regclass('schema_migrations')::text"));
        await holder.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = MigrationLockKey });
        await migrating;

        Assert.Equal([1, 2, 3], await holder.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version"));
        // The store's session (back in the pool, not reset) no longer holds it.
        Assert.True(await holder.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@Key)", new { Key = MigrationLockKey }));
    }

    [Fact]
    public async Task SaveHubPageAsync_waits_for_its_hubs_queue_lock_another_session_holds_and_releases_it_when_done()
    {
        const string address = "https://example.org/hubs/queued";
        var key = new { Key = "hub:" + address };
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync(Ct);
        await holder.ExecuteAsync("SELECT pg_advisory_lock(hashtextextended(@Key, 0))", key);

        var saving = Task.Run(() => Store.SaveHubPageAsync(Page(Paper("A")), address, T0, Labeler, Ct));
        Assert.True(await WaitsForAnAdvisoryLockAsync(holder, saving));
        Assert.Empty(await QueryAsync<string>("SELECT id FROM hubs"));
        await holder.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@Key, 0))", key);
        var saved = await saving;

        Assert.True(saved.HubCreated);
        Assert.Equal(["A"], (await ReadAllAsync(saved.HubId)).Select(p => p.Title));
        Assert.True(await holder.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtextextended(@Key, 0))", key));
    }

    // A write the database aborts for a concurrent writer (serialisation failure, deadlock, a key inserted first)
    // runs again from the start, up to 10 times; here a trigger aborts the hub's insert the first times.
    [Theory]
    [InlineData("40001", 9)]
    [InlineData("40P01", 1)]
    [InlineData("23505", 1)]
    public async Task SaveHubPageAsync_runs_a_write_again_when_the_database_aborts_it_for_a_concurrent_writer(string sqlState, int failures)
    {
        await FailHubInsertsAsync(sqlState, failures);

        var saved = await Store.SaveHubPageAsync(Page(Paper("A"), Paper("B")), Url, T0, Labeler, Ct);

        Assert.True(saved.HubCreated);
        Assert.Equal(failures + 1, await WriteAttemptsAsync());
        Assert.Equal(["A", "B"], (await ReadAllAsync(saved.HubId)).Select(p => p.Title));
        Assert.Equal([saved.HubId], await QueryAsync<string>("SELECT id FROM hubs"));
    }

    [Theory]
    [InlineData("40001", 10, 10)]
    [InlineData("23514", 1, 1)]
    public async Task SaveHubPageAsync_throws_the_databases_error_after_10_attempts_or_at_once_when_it_is_not_a_concurrent_writers(string sqlState, int failures, int attempts)
    {
        await FailHubInsertsAsync(sqlState, failures);

        var error = await Assert.ThrowsAsync<PostgresException>(() => Store.SaveHubPageAsync(Page(Paper("A")), Url, T0, Labeler, Ct));

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(attempts, await WriteAttemptsAsync());
        Assert.Empty(await QueryAsync<string>("SELECT id FROM hubs"));
        Assert.Empty(await QueryAsync<string>("SELECT id FROM citing_papers"));
    }

    // Until the task ends: true once a session of this database waits for an advisory lock.
    private static async Task<bool> WaitsForAnAdvisoryLockAsync(NpgsqlConnection observer, Task task)
    {
        while (!task.IsCompleted)
        {
            if (await observer.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted)"))
            {
                return !task.IsCompleted;
            }
            await Task.Delay(20);
        }
        return false;
    }

    // A statement trigger on hubs that aborts the first <failures> inserts with <sqlState>; the sequence counts the
    // attempts (a sequence is not rolled back with the transaction).
    private async Task FailHubInsertsAsync(string sqlState, int failures)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync($$"""
            CREATE SEQUENCE write_attempts;
            CREATE FUNCTION fail_hub_inserts() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF nextval('write_attempts') <= {{failures}} THEN
                    RAISE EXCEPTION 'aborted by the test' USING ERRCODE = '{{sqlState}}';
                END IF;
                RETURN NULL;
            END
            $f$;
            CREATE TRIGGER fail_hub_inserts BEFORE INSERT ON hubs FOR EACH STATEMENT EXECUTE FUNCTION fail_hub_inserts();
            """);
    }

    private async Task<int> WriteAttemptsAsync() =>
        (int)(await QueryAsync<long>("SELECT last_value FROM write_attempts")).Single();

    [Fact]
    public async Task Constructor_refuses_a_blank_connection_string_and_a_lock_timeout_under_one_second()
    {
        Assert.Equal("connectionString", Assert.Throws<ArgumentException>(() => new PostgreSqlCitationStore(" ")).ParamName);
        Assert.Equal("lockTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlCitationStore("Host=db", TimeSpan.FromMilliseconds(999))).ParamName);
        await using var store = new PostgreSqlCitationStore("Host=db", TimeSpan.FromSeconds(1));

        Assert.Equal("-c lock_timeout=1000", new NpgsqlConnectionStringBuilder(store.ConnectionString).Options);
    }

    // Statements are prepared (64 of them per connection unless the connection string says otherwise), and the
    // lock timeout goes after the options given, 30 s when none is given.
    [Theory]
    [InlineData("Host=db;Database=citations", null, 64, "-c lock_timeout=30000")]
    [InlineData("Host=db;Database=citations;Max Auto Prepare=5;Options=-c search_path=other", 2500, 5, "-c search_path=other -c lock_timeout=2500")]
    public async Task Constructor_prepares_statements_and_sets_the_lock_timeout_after_the_options_given(string connectionString, int? lockTimeoutMilliseconds, int maxAutoPrepare, string options)
    {
        await using var store = new PostgreSqlCitationStore(connectionString, lockTimeoutMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        var completed = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        Assert.Equal(maxAutoPrepare, completed.MaxAutoPrepare);
        Assert.Equal(options, completed.Options);
    }

    [Theory]
    [InlineData("Host=db;Database=citations", true)]
    [InlineData("Host=db;Database=citations;No Reset On Close=false", false)]
    [InlineData("Host=db;Database=citations;NoResetOnClose=false", false)]
    public async Task Constructor_skips_the_pool_reset_unless_the_connection_string_sets_it(string connectionString, bool expected)
    {
        await using var store = new PostgreSqlCitationStore(connectionString);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(store.ConnectionString).NoResetOnClose);
    }
}
