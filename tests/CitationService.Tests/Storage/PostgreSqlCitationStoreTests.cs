using CitationService.Core.Storage;
using Dapper;
using Npgsql;
using CitationService.Storage.PostgreSql;
using CitationService.Tests.PostgreSql;

namespace CitationService.Tests.Storage;

/// <summary>The store suite against a fresh database on the test PostgreSQL server, plus PostgreSQL-only checks.</summary>
public sealed class PostgreSqlCitationStoreTests : CitationStoreTests
{
    private readonly List<PostgreSqlCitationStore> _stores = [];
    private string _connectionString = "";

    protected override ICitationStore CreateStore()
    {
        var store = new PostgreSqlCitationStore(_connectionString);
        _stores.Add(store);
        return store;
    }

    public override async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }

    protected override async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: Ct))];
    }

    // Replicas starting together each migrate the database they share.
    [Fact]
    public async Task MigrateAsync_from_several_stores_at_once_applies_each_migration_once()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlCitationStore(connectionString)).ToList();

            await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync(Ct))));

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
                Assert.Equal([1, 2, 3], versions);
            }
            var saved = await stores[3].SaveHubPageAsync(Page(Paper("A", "Uses it.")), "https://pith.example/hub/x", T0, Labeler, Ct);
            Assert.Equal(1, (await stores[0].GetHubAsync(new HubLookup(HubId: saved.HubId), Ct))!.StoredCitingCount);
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task MigrateAsync_moves_each_papers_labels_to_one_row_per_task_when_upgrading_from_version_1()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                var version1 = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "src", "CitationService.Storage", "PostgreSql", "Migrations", "0001_schema.sql"));
                await connection.ExecuteAsync(
                    "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"
                    + version1
                    + "INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.0000000Z');"
                    + LabelsByTaskMigration.InsertSql);
            }
            await using var store = new PostgreSqlCitationStore(connectionString);

            await store.MigrateAsync(Ct);

            await LabelsByTaskMigration.AssertMovedAsync(store, Ct);
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                Assert.Equal(LabelsByTaskMigration.ExpectedLabelRows, await connection.QueryAsync<(string, string, string, string)>(LabelsByTaskMigration.LabelRowsSql));
                Assert.Equal(LabelsByTaskMigration.ExpectedPapersByKey, await connection.QueryAsync<string>(LabelsByTaskMigration.PapersByKeySql));
            }
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
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
