using CitationService.Core.Storage;
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
}
