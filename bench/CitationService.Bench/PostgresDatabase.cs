using System.Net;
using CitationService.Tests.PostgreSql;
using Npgsql;

namespace CitationService.Bench;

/// <summary>
/// The empty PostgreSQL database the second bench server stores in (<c>--postgres</c>): created for the run on a
/// throwaway PostgreSQL 15 cluster (the tests' <see cref="PostgresCluster"/>) or on the server a connection string
/// names, and dropped when disposed, with the cluster if the bench started one.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private readonly PostgresCluster? _cluster;

    private PostgresDatabase(string adminConnectionString, PostgresCluster? cluster, string name, string description, int? postmasterPid)
    {
        _adminConnectionString = adminConnectionString;
        _cluster = cluster;
        Name = name;
        Description = description;
        PostmasterPid = postmasterPid;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>An Npgsql connection string to the new database, for the server.</summary>
    public string ConnectionString { get; }

    /// <summary>The database's name: <c>citation_bench_</c> and 32 hex digits.</summary>
    public string Name { get; }

    /// <summary>Which server, its version and the settings that bear on the figures, for the report.</summary>
    public string Description { get; }

    /// <summary>The server's postmaster on this machine, whose processes' CPU time the bench reads; null when they are not visible here.</summary>
    public int? PostmasterPid { get; }

    /// <summary>CPU time of the PostgreSQL server's processes so far; null when they are not visible from here.</summary>
    public Func<TimeSpan>? Cpu => PostmasterPid is { } pid ? () => CpuTime.OfPostgresServer(pid) : null;

    /// <summary>Creates the database on the server <paramref name="connectionString"/> names, or on a throwaway cluster it starts when that is null.</summary>
    /// <exception cref="InvalidOperationException">No cluster could be started, or the server refused the connection or the CREATE DATABASE.</exception>
    public static async Task<PostgresDatabase> CreateAsync(string? connectionString, CancellationToken cancellationToken)
    {
        var cluster = connectionString is null ? await StartClusterAsync(cancellationToken) : null;
        try
        {
            var admin = cluster?.AdminConnectionString ?? AdminConnectionString(connectionString!);
            var name = $"citation_bench_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(cancellationToken);
            var version = await ScalarAsync(connection, "SHOW server_version", cancellationToken);
            var settings = await ScalarAsync(connection,
                "SELECT concat_ws(', ', 'fsync=' || current_setting('fsync'), 'synchronous_commit=' || current_setting('synchronous_commit'), " +
                "'full_page_writes=' || current_setting('full_page_writes'), 'shared_buffers=' || current_setting('shared_buffers'))",
                cancellationToken);
            var backendPid = int.Parse(await ScalarAsync(connection, "SELECT pg_backend_pid()::text", cancellationToken), Report.Culture);
            await using (var create = new NpgsqlCommand($"""CREATE DATABASE "{name}" """, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var builder = new NpgsqlConnectionStringBuilder(admin);
            var where = cluster is not null
                ? $"throwaway PostgreSQL {version} cluster (the tests' PostgresCluster), 127.0.0.1:{cluster.Port}"
                : $"PostgreSQL {version} at {builder.Host}:{builder.Port}";
            return new PostgresDatabase(admin, cluster, name, $"{where}, database {name} (created for this run, dropped after it); {settings}",
                cluster?.ProcessId ?? LocalPostmaster(builder.Host, backendPid));
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            cluster?.Stop();
            throw new InvalidOperationException($"--postgres: could not create the bench database: {e.Message}", e);
        }
        catch
        {
            cluster?.Stop();
            throw;
        }
    }

    /// <summary>Drops the database (ending its connections); stops the cluster if the bench started it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            // Stopping the cluster deletes its folder, databases and all.
            _cluster.Stop();
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{Name}" WITH (FORCE)""", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"Could not drop the bench database {Name}: {e.Message}; drop it by hand.");
        }
    }

    private static async Task<PostgresCluster> StartClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresCluster.StartAsync().WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The helper's message is written for the tests; the bench's way round a missing PostgreSQL differs.
            throw new InvalidOperationException(
                $"--postgres: could not start a throwaway PostgreSQL cluster: {e.Message}{Environment.NewLine}" +
                "For the bench, pass --postgres <Npgsql connection string> (a server whose user may CREATE DATABASE) instead of setting CITATIONS_TEST_POSTGRES.",
                e);
        }
    }

    // The given string's database is only connected to for CREATE and DROP DATABASE.
    private static string AdminConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Database ??= "postgres";
        return builder.ConnectionString;
    }

    /// <summary>
    /// The postmaster of a server on this machine: the parent of the backend serving this connection, if that
    /// process is here and is PostgreSQL. Null for a server elsewhere, whose CPU time the bench cannot read.
    /// </summary>
    private static int? LocalPostmaster(string? host, int backendPid)
    {
        var local = host is null || host.StartsWith('/') || host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        if (!local || ProcessStat.TryRead(backendPid) is not { Command: "postgres" } backend)
        {
            return null;
        }
        return ProcessStat.TryRead(backend.ParentPid) is { Command: "postgres" } ? backend.ParentPid : null;
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
