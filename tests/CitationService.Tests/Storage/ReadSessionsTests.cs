using CitationService.Storage;
using Dapper;
using System.Data;
using Microsoft.Data.Sqlite;

namespace CitationService.Tests.Storage;

/// <summary>
/// <see cref="ReadSessions"/> over a real SQLite file: a kept connection runs its statement again with new values
/// and sees what was written since, and a connection whose read failed is not kept.
/// </summary>
public sealed class ReadSessionsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "read-sessions-tests", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteConnection> _connections = [];

    private int Opened => _connections.Count;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "reads.db")};Pooling=False";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_kept_connection_runs_its_statement_again_with_new_values_and_sees_rows_written_since()
    {
        await using var reads = Sessions(kept: 2);
        await InsertAsync(1, "one");

        Assert.Equal(["one"], await NamesAsync(reads, 1));
        await InsertAsync(2, "two");
        Assert.Equal(["one", "two"], await NamesAsync(reads, 2));
        Assert.Equal(["one"], await NamesAsync(reads, 1));
        Assert.Equal((1, 1), (Opened, reads.IdleCount));

        // A read disposed twice gives its connection back once.
        var read = await reads.ReadAsync(ByIdSql, [("@Last", 1)], CancellationToken.None);
        await read.DisposeAsync();
        await read.DisposeAsync();
        Assert.Equal((1, 1), (Opened, reads.IdleCount));
    }

    [Fact]
    public async Task With_none_kept_each_read_opens_a_connection_and_closes_it_after()
    {
        await using var reads = Sessions(kept: 0);
        await InsertAsync(1, "one");

        Assert.Equal(["one"], await NamesAsync(reads, 5));
        Assert.Equal(["one"], await NamesAsync(reads, 5));

        Assert.Equal((2, 0), (Opened, reads.IdleCount));
    }

    [Fact]
    public async Task Reads_under_way_at_once_each_get_a_connection_and_only_the_kept_number_stay_open_after()
    {
        await using var reads = Sessions(kept: 2);
        var held = new List<ReadSessions.ShortRead>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await reads.ReadAsync(ByIdSql, [("@Last", 10)], CancellationToken.None));
        }

        foreach (var read in held)
        {
            await read.DisposeAsync();
        }

        // The one beyond the kept number is closed, not left open.
        Assert.Equal((3, 2, 1), (Opened, reads.IdleCount, _connections.Count(c => c.State == ConnectionState.Closed)));
        await NamesAsync(reads, 1);
        Assert.Equal(3, Opened);
    }

    [Fact]
    public async Task A_read_that_fails_closes_its_connection_rather_than_keeping_it()
    {
        await using var reads = Sessions(kept: 1);

        await Assert.ThrowsAsync<SqliteException>(() => reads.ReadAsync("SELECT name FROM missing WHERE id = @Id;", [("@Id", 1)], CancellationToken.None));
        Assert.Equal((0, ConnectionState.Closed), (reads.IdleCount, _connections[0].State));

        await NamesAsync(reads, 1);
        Assert.Equal((2, 1), (Opened, reads.IdleCount));
    }

    [Fact]
    public async Task A_read_cancelled_before_its_statement_runs_throws_and_closes_its_kept_connection()
    {
        await using var reads = Sessions(kept: 1);
        await NamesAsync(reads, 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reads.ReadAsync(ByIdSql, [("@Last", 1)], new CancellationToken(canceled: true)));

        Assert.Equal((1, 0, ConnectionState.Closed), (Opened, reads.IdleCount, _connections[0].State));
    }

    [Fact]
    public async Task Parameters_that_are_not_the_statements_are_refused_naming_both()
    {
        await using var reads = Sessions(kept: 1);

        var wrongName = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [("@First", 1)], CancellationToken.None));
        var extra = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [("@Last", 1), ("@First", 1)], CancellationToken.None));

        var twoNames = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(
            "SELECT name FROM items WHERE id BETWEEN @First AND @Last;", [("@Start", 1), ("@End", 2)], CancellationToken.None));
        Assert.Equal("The statement's parameters (@Last) are not those bound (@First).", wrongName.Message);
        Assert.Equal("The statement's parameters (@Last) are not those bound (@Last, @First).", extra.Message);
        Assert.Equal("The statement's parameters (@First, @Last) are not those bound (@Start, @End).", twoNames.Message);
        // A statement a kept connection has run is checked against the parameters it first ran with.
        // (A refused read closes its connection, so each is on a connection that has just run it.)
        await NamesAsync(reads, 1);
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [], CancellationToken.None));
        await NamesAsync(reads, 1);
        var renamed = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [("@First", 1)], CancellationToken.None));
        Assert.Equal("The statement was first run with 1 parameters, now with 0.", none.Message);
        Assert.Equal("The statement was first run with parameter @Last where @First is now given.", renamed.Message);
    }

    [Fact]
    public async Task A_statement_checked_once_is_checked_again_on_a_new_connection_when_other_parameters_are_given()
    {
        // None kept: every read is on a new connection, so each new command is checked against its statement.
        await using var reads = Sessions(kept: 0);
        await InsertAsync(1, "one");
        await NamesAsync(reads, 1);

        var fewer = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [], CancellationToken.None));
        var renamed = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(ByIdSql, [("@First", 1)], CancellationToken.None));

        Assert.Equal("The statement's parameters (@Last) are not those bound ().", fewer.Message);
        Assert.Equal("The statement's parameters (@Last) are not those bound (@First).", renamed.Message);
        Assert.Equal(["one"], await NamesAsync(reads, 1));
    }

    [Fact]
    public async Task Disposing_closes_the_kept_connections_and_each_given_back_after()
    {
        var reads = Sessions(kept: 2);
        var held = await reads.ReadAsync(ByIdSql, [("@Last", 1)], CancellationToken.None);
        await NamesAsync(reads, 1);
        Assert.Equal((2, 1), (Opened, reads.IdleCount));

        await reads.DisposeAsync();
        Assert.Equal((0, ConnectionState.Open, ConnectionState.Closed), (reads.IdleCount, _connections[0].State, _connections[1].State));
        await held.DisposeAsync();

        Assert.Equal((0, ConnectionState.Closed), (reads.IdleCount, _connections[0].State));
    }

    private const string ByIdSql = "SELECT name FROM items WHERE id <= @Last ORDER BY id;";

    private ReadSessions Sessions(int kept) => new(async cancellationToken =>
    {
        var connection = new SqliteConnection(ConnectionString);
        _connections.Add(connection);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }, kept);

    private async Task InsertAsync(int id, string name)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.ExecuteAsync("INSERT INTO items (id, name) VALUES (@id, @name);", new { id, name });
    }

    private static async Task<List<string>> NamesAsync(ReadSessions reads, int last)
    {
        await using var read = await reads.ReadAsync(ByIdSql, [("@Last", last)], CancellationToken.None);
        var names = new List<string>();
        while (await read.Reader.ReadAsync())
        {
            names.Add(read.Reader.GetString(0));
        }
        return names;
    }
}
