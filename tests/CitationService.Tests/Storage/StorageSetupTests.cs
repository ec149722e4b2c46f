using System.Data.Common;
using System.Reflection;
using System.Text;
using CitationService.Core.Storage;
using CitationService.Storage;
using CitationService.Storage.PostgreSql;
using CitationService.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static SQLitePCL.raw;

namespace CitationService.Tests.Storage;

/// <summary>
/// What the store is set up with, apart from its queries: the configuration <c>AddCitationStore</c> accepts
/// and refuses, the migrations <c>SchemaMigration.Load</c> reads, and which failures <c>StoreErrors</c> calls
/// transient. No database is opened.
/// </summary>
public sealed class StorageSetupTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "citation-setup-tests", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // ---- StoreErrors ----

    [Theory]
    [InlineData(SQLITE_BUSY, SQLITE_BUSY, true)]
    [InlineData(SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, true)]
    [InlineData(SQLITE_LOCKED, SQLITE_LOCKED, true)]
    [InlineData(SQLITE_CANTOPEN, SQLITE_CANTOPEN, true)]
    [InlineData(SQLITE_IOERR, SQLITE_IOERR_WRITE, true)]
    [InlineData(SQLITE_FULL, SQLITE_FULL, true)]
    [InlineData(SQLITE_ERROR, SQLITE_ERROR, false)]
    [InlineData(SQLITE_CONSTRAINT, SQLITE_CONSTRAINT_UNIQUE, false)]
    [InlineData(SQLITE_CORRUPT, SQLITE_CORRUPT, false)]
    [InlineData(SQLITE_READONLY, SQLITE_READONLY, false)]
    public void IsUnavailable_reads_sqlites_primary_result_code(int code, int extendedCode, bool expected)
    {
        Assert.Equal(expected, StoreErrors.IsUnavailable(new SqliteException("failed", code, extendedCode)));
    }

    [Fact]
    public void IsUnavailable_is_true_of_any_database_error_its_engine_calls_transient_and_of_nothing_else()
    {
        Assert.True(StoreErrors.IsUnavailable(new EngineError(transient: true)));
        Assert.False(StoreErrors.IsUnavailable(new EngineError(transient: false)));
        Assert.False(StoreErrors.IsUnavailable(new TimeoutException()));
        Assert.False(StoreErrors.IsUnavailable(new InvalidOperationException("busy")));
    }

    private sealed class EngineError(bool transient) : DbException("engine error")
    {
        public override bool IsTransient => transient;
    }

    // ---- SchemaMigration ----

    [Fact]
    public void Load_reads_an_engines_migrations_in_version_order_with_their_text()
    {
        var assembly = typeof(SqliteCitationStore).Assembly;
        var folder = Path.Combine(RepositoryPaths.Root, "src", "CitationService.Storage", "Sqlite", "Migrations");

        var migrations = SchemaMigration.Load(assembly, "CitationService.Storage.Sqlite.Migrations.");

        // Only the SQLite folder's files (the PostgreSQL folder's are embedded beside them), each with its text.
        var files = Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Select(file => int.Parse(Path.GetFileName(file)[..4], System.Globalization.CultureInfo.InvariantCulture)), migrations.Select(m => m.Version));
        Assert.Equal(files.Select(File.ReadAllText), migrations.Select(m => m.Sql));
    }

    [Fact]
    public void Load_skips_resources_outside_the_prefix_or_not_sql_and_sorts_by_version()
    {
        var assembly = new ResourceAssembly(new()
        {
            ["Mig.0010_last.sql"] = "-- ten",
            ["Mig.0002_second.sql"] = "-- two",
            ["Mig.README.md"] = "not a migration",
            ["Mig.0003_notes.txt"] = "not a migration",
            ["Other.0001_first.sql"] = "-- another engine",
            ["Mig.0001_first.sql"] = "-- one",
        });

        var migrations = SchemaMigration.Load(assembly, "Mig.");

        Assert.Equal([new SchemaMigration(1, "-- one"), new SchemaMigration(2, "-- two"), new SchemaMigration(10, "-- ten")], migrations);
    }

    [Theory]
    [InlineData("Mig.first.sql")]
    [InlineData("Mig._first.sql")]
    [InlineData("Mig.1a_first.sql")]
    [InlineData("Mig.-1_first.sql")]
    [InlineData("Mig. 1_first.sql")]
    public void Load_refuses_a_resource_not_named_with_its_version_first(string name)
    {
        var assembly = new ResourceAssembly(new() { ["Mig.0001_first.sql"] = "-- one", [name] = "-- bad" });

        var error = Assert.Throws<InvalidOperationException>(() => SchemaMigration.Load(assembly, "Mig."));

        Assert.Equal($"Migration resource '{name}' is not named NNNN_description.sql.", error.Message);
    }

    [Fact]
    public void Load_refuses_two_migrations_with_one_version_and_a_resource_it_cannot_read()
    {
        var twice = new ResourceAssembly(new() { ["Mig.0001_a.sql"] = "-- a", ["Mig.0002_b.sql"] = "-- b", ["Mig.002_c.sql"] = "-- c" });
        var unreadable = new ResourceAssembly(new() { ["Mig.0001_a.sql"] = null });

        Assert.Equal("Two migrations have version 2.", Assert.Throws<InvalidOperationException>(() => SchemaMigration.Load(twice, "Mig.")).Message);
        Assert.Equal("Migration resource 'Mig.0001_a.sql' cannot be read.", Assert.Throws<InvalidOperationException>(() => SchemaMigration.Load(unreadable, "Mig.")).Message);
    }

    [Fact]
    public void Load_refuses_a_missing_assembly_or_prefix()
    {
        Assert.Equal("assembly", Assert.Throws<ArgumentNullException>(() => SchemaMigration.Load(null!, "Mig.")).ParamName);
        Assert.Equal("resourcePrefix", Assert.Throws<ArgumentException>(() => SchemaMigration.Load(typeof(SqliteCitationStore).Assembly, "")).ParamName);
    }

    // An assembly that holds the given resources (a null text: a resource whose stream cannot be opened).
    private sealed class ResourceAssembly(Dictionary<string, string?> resources) : Assembly
    {
        public override string[] GetManifestResourceNames() => [.. resources.Keys];

        public override Stream? GetManifestResourceStream(string name) =>
            resources.TryGetValue(name, out var text) && text is not null ? new MemoryStream(Encoding.UTF8.GetBytes(text)) : null;
    }

    // ---- StorageExtensions ----

    [Theory]
    [InlineData("7", "", "", "Storage:Provider must be Sqlite or PostgreSql.")]
    [InlineData("Sqlite", " ", "", "Storage:DatabasePath must not be empty.")]
    [InlineData("PostgreSql", "db.sqlite", " ", "Storage:ConnectionString must be set when Storage:Provider is PostgreSql.")]
    [InlineData("Sqlite", "db/citations.db", "", "Storage:LockTimeout must be at least 1 second.", "00:00:00.999")]
    public async Task AddCitationStore_refuses_at_start_a_configuration_it_cannot_use_with_one_message(
        string provider, string databasePath, string connectionString, string message, string lockTimeout = "00:00:30")
    {
        using var host = Build(new()
        {
            ["Storage:Provider"] = provider, ["Storage:DatabasePath"] = databasePath,
            ["Storage:ConnectionString"] = connectionString, ["Storage:LockTimeout"] = lockTimeout,
        });

        // ValidateOnStart: the host refuses to start, before anything asks for the store.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Equal([message], error.Failures);
    }

    [Fact]
    public async Task AddCitationStore_gives_a_postgresql_store_on_its_connection_string_and_lock_timeout_whatever_the_database_path()
    {
        using var host = Build(new()
        {
            ["Storage:Provider"] = "PostgreSql", ["Storage:DatabasePath"] = "", ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=citations",
            ["Storage:LockTimeout"] = "00:00:05",
        });
        await host.StartAsync(CancellationToken.None);

        var store = Assert.IsType<PostgreSqlCitationStore>(host.Services.GetRequiredService<ICitationStore>());

        Assert.Contains("lock_timeout=5000", store.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Port=1", store.ConnectionString, StringComparison.Ordinal);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AddCitationStore_gives_a_sqlite_store_at_an_absolute_path_as_given_with_a_lock_timeout_of_exactly_one_second()
    {
        var path = Path.Combine(_folder, "absolute", "citations.db");
        using var host = Build(new() { ["Storage:DatabasePath"] = path, ["Storage:LockTimeout"] = "00:00:01", ["Storage:ConnectionString"] = "" });
        await host.StartAsync(CancellationToken.None);

        var store = Assert.IsType<SqliteCitationStore>(host.Services.GetRequiredService<ICitationStore>());

        Assert.Equal(path, store.DatabasePath);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void AddCitationStore_and_ResolveDatabasePath_refuse_missing_arguments()
    {
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => StorageExtensions.AddCitationStore(null!)).ParamName);
        Assert.Equal("databasePath", Assert.Throws<ArgumentException>(() => StorageExtensions.ResolveDatabasePath(" ", _folder)).ParamName);
        Assert.Equal(Path.Combine(_folder, "a", "b.db"), StorageExtensions.ResolveDatabasePath("a/../a/b.db", _folder));
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCitationStore();
        return builder.Build();
    }
}
