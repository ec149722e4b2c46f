using System.Data.Common;
using System.Diagnostics;
using CitationService.Tests.PostgreSql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CitationService.Tests.Server;

/// <summary>The database engines a test's service can run on (<c>Storage:Provider</c>).</summary>
public enum TestEngine
{
    /// <summary>A SQLite file in a temporary folder.</summary>
    Sqlite,

    /// <summary>A fresh database on the test PostgreSQL server (<see cref="TestPostgres"/>).</summary>
    PostgreSql,
}

/// <summary>
/// The database a test's service runs on, the settings that point the service at it, and SQL run on it from a
/// connection of the test's own, as another process would. Disposing deletes the SQLite file's folder or drops
/// the PostgreSQL database.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private static readonly TimeSpan WriteWaitTimeout = TimeSpan.FromSeconds(30);

    private readonly string _location;
    private readonly TempFolder? _folder;

    private TestDatabase(TestEngine engine, string location, TempFolder? folder)
    {
        Engine = engine;
        _location = location;
        _folder = folder;
    }

    public TestEngine Engine { get; }

    /// <summary>The SQLite file; only on <see cref="TestEngine.Sqlite"/>.</summary>
    public string FilePath => Engine == TestEngine.Sqlite ? _location : throw new InvalidOperationException("a PostgreSQL database has no file");

    /// <summary>The Npgsql connection string; only on <see cref="TestEngine.PostgreSql"/>.</summary>
    public string ConnectionString => Engine == TestEngine.PostgreSql ? _location : throw new InvalidOperationException("a SQLite database has no connection string");

    /// <summary>The configuration that points the service at this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => Engine == TestEngine.Sqlite
        ? new Dictionary<string, string> { ["Storage:Provider"] = "Sqlite", ["Storage:DatabasePath"] = _location }
        : new Dictionary<string, string> { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = _location };

    /// <summary>A new empty database of its own on <paramref name="engine"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(TestEngine engine)
    {
        if (engine == TestEngine.PostgreSql)
        {
            return new TestDatabase(engine, await TestPostgres.CreateDatabaseAsync(), folder: null);
        }
        var folder = new TempFolder();
        return new TestDatabase(engine, Path.Combine(folder.Path, "citations.db"), folder);
    }

    /// <summary>The SQLite file at <paramref name="path"/>, which the caller owns: disposing leaves it.</summary>
    public static TestDatabase SqliteFile(string path) => new(TestEngine.Sqlite, path, folder: null);

    /// <summary>Runs <paramref name="sql"/>; returns the rows changed.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Returns once no write begun on another connection is still in flight.</summary>
    public async Task WaitForWritesAsync()
    {
        if (Engine == TestEngine.Sqlite)
        {
            // Taking the write lock once waits out the write that holds it.
            await ExecuteAsync("BEGIN IMMEDIATE; ROLLBACK;");
            return;
        }
        // PostgreSQL writers do not queue on one lock: wait until no other client of the database is in a transaction.
        const string Sql = """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL
            """;
        var started = Stopwatch.GetTimestamp();
        while (await ScalarAsync(Sql) > 0)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < WriteWaitTimeout, $"a transaction is still open after {WriteWaitTimeout}");
            await Task.Delay(20);
        }
    }

    /// <summary>Locks the database against every other connection's reads and writes until disposed.</summary>
    public async Task<IAsyncDisposable> LockAsync()
    {
        DbConnection connection = Engine == TestEngine.Sqlite
            ? new SqliteConnection($"Data Source={_location};Pooling=False")
            : new NpgsqlConnection(_location);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Engine == TestEngine.Sqlite
            ? "BEGIN EXCLUSIVE;"
            : "BEGIN; LOCK TABLE hubs, hub_views, citing_papers, citing_paper_labels IN ACCESS EXCLUSIVE MODE;";
        await command.ExecuteNonQueryAsync();
        return new HeldLock(connection);
    }

    /// <summary>Closes the idle connections this process's pools hold to the database.</summary>
    public void ClearPools()
    {
        if (Engine == TestEngine.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
        else
        {
            using var connection = new NpgsqlConnection(_location);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Engine == TestEngine.PostgreSql)
        {
            await TestPostgres.DropDatabaseAsync(_location);
        }
        _folder?.Dispose();
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Engine == TestEngine.Sqlite
            // Waits for the service's writes rather than failing while one holds the lock.
            ? new SqliteConnection($"Data Source={_location};Default Timeout=30")
            : new NpgsqlConnection(_location);
        await connection.OpenAsync();
        return connection;
    }

    private sealed class HeldLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "ROLLBACK;";
                await command.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}
