namespace CitationService.Storage;

/// <summary>Where the citation store keeps its data; bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Storage";

    /// <summary>The engine: <see cref="StorageProvider.Sqlite"/> (the default, one file, no server) or <see cref="StorageProvider.PostgreSql"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The SQLite database file. A relative path is resolved against the host's content root; the
    /// directory is created when missing. Must not be empty when the provider is SQLite.
    /// </summary>
    public string DatabasePath { get; set; } = "App_Data/citations.db";

    /// <summary>The Npgsql connection string of the PostgreSQL database; required when the provider is PostgreSQL.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a statement waits for a lock another connection holds before it fails as busy (which gRPC
    /// callers see as UNAVAILABLE). At least 1 second.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = DefaultLockTimeout;

    internal static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);
}

/// <summary>The database engines the store runs on.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: one process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, which several replicas of the service can share.</summary>
    PostgreSql,
}
