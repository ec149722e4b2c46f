using System.Text.RegularExpressions;
using Npgsql;

namespace CitationService.Tests.PostgreSql;

/// <summary>
/// Empty PostgreSQL databases for tests. The server is the one <see cref="ServerVariable"/> names, or else a
/// PostgreSQL 15 cluster this process starts on first use and stops when it exits.
/// </summary>
public static partial class TestPostgres
{
    /// <summary>
    /// The environment variable that, when set, holds an Npgsql connection string to an existing server whose
    /// user may CREATE DATABASE; no cluster is started then.
    /// </summary>
    public const string ServerVariable = "CITATIONS_TEST_POSTGRES";

    // One server per process, started by the first caller; a failed start fails every caller with the same error.
    private static readonly Lazy<Task<string>> AdminConnectionString = new(ConnectToServerAsync);

    /// <summary>
    /// Creates a new empty database on the test server and returns a connection string to it (Npgsql format,
    /// loopback host, the cluster's port, pooling on).
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var admin = await AdminConnectionString.Value.WaitAsync(cancellationToken);
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"""CREATE DATABASE "{name}" """, cancellationToken);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Drops a database made by <see cref="CreateDatabaseAsync"/>, ending the connections still open to it;
    /// does nothing when it is already gone.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> names a database this class did not make.</exception>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (name is null || !DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Database '{name}' was not made by {nameof(CreateDatabaseAsync)}.", nameof(connectionString));
        }

        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var admin = await AdminConnectionString.Value;
        await ExecuteAsync(admin, $"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", CancellationToken.None);
    }

    private static async Task<string> ConnectToServerAsync()
    {
        var given = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrEmpty(given))
        {
            var builder = new NpgsqlConnectionStringBuilder(given);
            builder.Database ??= "postgres";
            return builder.ConnectionString;
        }

        var cluster = await PostgresCluster.StartAsync();
        return cluster.AdminConnectionString;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^t_[0-9a-f]{32}$")]
    private static partial Regex DatabaseName();
}
