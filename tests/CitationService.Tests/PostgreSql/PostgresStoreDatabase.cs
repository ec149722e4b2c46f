using CitationService.Storage.PostgreSql;
using Dapper;
using Npgsql;

namespace CitationService.Tests.PostgreSql;

/// <summary>
/// A store test class's fresh database on the test PostgreSQL server, the stores opened on it, and raw queries of it;
/// disposing it disposes the stores and drops the database.
/// </summary>
internal sealed class PostgresStoreDatabase : IAsyncDisposable
{
    private readonly List<PostgreSqlCitationStore> _stores = [];

    private PostgresStoreDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<PostgresStoreDatabase> CreateAsync() => new(await TestPostgres.CreateDatabaseAsync());

    /// <summary>A store on the database, disposed with it.</summary>
    public PostgreSqlCitationStore CreateStore()
    {
        var store = new PostgreSqlCitationStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: cancellationToken))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await TestPostgres.DropDatabaseAsync(ConnectionString);
    }
}
