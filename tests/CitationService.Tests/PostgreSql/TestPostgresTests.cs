using Npgsql;

namespace CitationService.Tests.PostgreSql;

/// <summary>The test server and the databases <see cref="TestPostgres"/> makes on it.</summary>
public sealed class TestPostgresTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task CreateDatabaseAsync_returns_empty_database_named_in_connection_string()
    {
        var database = await CreateAsync();

        Assert.Equal(new NpgsqlConnectionStringBuilder(database).Database, await ScalarAsync<string>(database, "SELECT current_database()"));
        Assert.Equal(0L, await ScalarAsync<long>(database, """
            SELECT count(*)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            """));
    }

    [Fact]
    public async Task CreateDatabaseAsync_returns_separate_databases_when_called_twice()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();

        foreach (var (database, value) in new[] { (first, "first"), (second, "second") })
        {
            await ExecuteAsync(database, "CREATE TABLE item (id int PRIMARY KEY, value text NOT NULL)");
            await ExecuteAsync(database, $"INSERT INTO item VALUES (1, '{value}')");
        }

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        Assert.Equal("first", await ScalarAsync<string>(first, "SELECT string_agg(value, ',') FROM item"));
        Assert.Equal("second", await ScalarAsync<string>(second, "SELECT string_agg(value, ',') FROM item"));
    }

    [Fact]
    public async Task CreateDatabaseAsync_uses_one_server_when_called_concurrently()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CreateAsync()));

        var servers = await Task.WhenAll(databases.Select(database =>
            ScalarAsync<string>(database, "SELECT inet_server_port() || ' ' || pg_postmaster_start_time()")));
        Assert.Single(servers.Distinct());
        Assert.Equal(databases.Length, databases.Select(database => new NpgsqlConnectionStringBuilder(database).Database).Distinct().Count());
    }

    [Fact]
    public async Task CreateDatabaseAsync_connects_to_PostgreSQL_15_or_later()
    {
        var database = await CreateAsync();

        var version = int.Parse(await ScalarAsync<string>(database, "SELECT current_setting('server_version_num')"));

        Assert.InRange(version, 150000, int.MaxValue);
    }

    [Fact]
    public async Task DropDatabaseAsync_makes_database_unreachable_when_a_connection_is_open()
    {
        var database = await CreateAsync();
        await using var open = new NpgsqlConnection(database);
        await open.OpenAsync();

        await TestPostgres.DropDatabaseAsync(database);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(database, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, error.SqlState);
    }

    [Fact]
    public async Task Lower_folds_non_ascii_letters_when_collation_is_icu_root()
    {
        var database = await CreateAsync();

        Assert.Equal("über", await ScalarAsync<string>(database, """SELECT lower('ÜBER' COLLATE "und-x-icu")"""));
    }

    private async Task<string> CreateAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
