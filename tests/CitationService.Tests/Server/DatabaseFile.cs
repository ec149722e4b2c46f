using Microsoft.Data.Sqlite;

namespace CitationService.Tests.Server;

/// <summary>SQL run on a service's database file from a connection of the test's own, as another process would.</summary>
internal static class DatabaseFile
{
    /// <summary>Runs <paramref name="sql"/>; returns the rows changed.</summary>
    public static async Task<int> ExecuteAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>.</summary>
    public static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        // Waits for the service's writes rather than failing while one holds the lock.
        var connection = new SqliteConnection($"Data Source={path};Default Timeout=30");
        await connection.OpenAsync();
        return connection;
    }
}
