using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Classification;
using CitationService.Core.Storage;
using CitationService.Server.Grpc;
using CitationService.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CitationService.Benchmarks;

/// <summary>
/// How far the store's read of a hub (<see cref="StoreReadBenchmarks"/>' "all papers") is from what SQLite itself
/// costs for the same rows, and from a layout of one encoded message per paper. All read the same 10,000-paper hub
/// of one temp database, each on a fresh read-only connection, as a stream reads on its own connection:
/// <list type="bullet">
/// <item>the store's read (SQL, 28 columns per paper through Microsoft.Data.Sqlite, mapping to <c>CitingPaper</c>);</item>
/// <item>SQLite stepping through the store's own query (<see cref="CitingPaperReader"/>'s columns and joins), no column read;</item>
/// <item>the same query with every column read through SQLitePCL's raw calls into .NET values, no object built;</item>
/// <item>the encoded layout: one <c>citations.v1.CitingPaper</c> message per paper (as the service sends it, labels
/// included) in a table clustered by (hub, position, id), read as bytes into one reused buffer: the store's share of a
/// stream that would send stored messages as they are.</item>
/// </list>
/// The encoded table is built by the setup only, from the papers the store reads back; the service has no such table.
/// </summary>
[MemoryDiagnoser]
public class StoreFloorBenchmarks
{
    private const int Papers = StoreReadBenchmarks.Papers;

    private const string StoreQuery = $"""
        SELECT {CitingPaperReader.Columns}
        {CitingPaperReader.From}
        WHERE c.hub_id = @hub
        ORDER BY c.position, c.id
        """;

    private const string EncodedQuery = "SELECT message FROM encoded_papers WHERE hub_id = @hub ORDER BY position, id";

    private TempStore _store = null!;
    private string _hubId = "";
    private readonly byte[] _buffer = new byte[1 << 16];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await TempStore.CreateAsync();
        _hubId = await _store.IngestAsync(Workload.BigHubPage(Papers, Workload.SeedSummaries(Inputs.Repo), out _), Inputs.LoadLabeler());
        var threshold = new ClassifierOptions().ConfidenceThreshold;
        var papers = await _store.Store.ReadCitingPapersAsync(_hubId, CitingPaperFilter.None, null, null, CancellationToken.None).ToListAsync();

        using var connection = new SqliteConnection($"Data Source={_store.Store.DatabasePath};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE encoded_papers (
                    hub_id TEXT NOT NULL, position INTEGER NOT NULL, id TEXT NOT NULL, message BLOB NOT NULL,
                    PRIMARY KEY (hub_id, position, id)) WITHOUT ROWID
                """;
            create.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO encoded_papers VALUES ($hub, $position, $id, $message)";
        var hub = insert.Parameters.Add("$hub", SqliteType.Text);
        var position = insert.Parameters.Add("$position", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var message = insert.Parameters.Add("$message", SqliteType.Blob);
        foreach (var paper in papers)
        {
            (hub.Value, position.Value, id.Value) = (paper.HubId, paper.Position, paper.Id);
            message.Value = paper.ToContract(threshold).ToByteArray();
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, Description = "Store read, 28 columns mapped to CitingPaper")]
    public async Task<int> StoreRead() =>
        await _store.Store.ReadCitingPapersAsync(_hubId, CitingPaperFilter.None, null, null, CancellationToken.None).CountAsync();

    [Benchmark(Description = "SQLite steps the store's query, no column read")]
    public int StepOnly() => Query(StoreQuery, static (_, _) => 1);

    [Benchmark(Description = "SQLite steps it, all 28 columns read raw")]
    public int RawColumns() => Query(StoreQuery, static (statement, _) =>
    {
        var read = 0;
        for (var i = 0; i < 28; i++)
        {
            read += raw.sqlite3_column_type(statement, i) switch
            {
                raw.SQLITE_TEXT => raw.sqlite3_column_text(statement, i).utf8_to_string().Length,
                raw.SQLITE_INTEGER => (int)raw.sqlite3_column_int64(statement, i),
                raw.SQLITE_FLOAT => (int)raw.sqlite3_column_double(statement, i),
                _ => 0,
            };
        }
        return read;
    });

    [Benchmark(Description = "Encoded layout: one stored message per paper, read as bytes")]
    public int EncodedMessages() => Query(EncodedQuery, static (statement, buffer) =>
    {
        var bytes = raw.sqlite3_column_blob(statement, 0);
        bytes.CopyTo(buffer);
        return bytes.Length;
    });

    private int Query(string sql, Func<sqlite3_stmt, byte[], int> readRow)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Store.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement), connection);
        using (statement)
        {
            Check(raw.sqlite3_bind_text(statement, 1, _hubId), connection);
            var total = 0;
            var rows = 0;
            int result;
            while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                total += readRow(statement, _buffer);
                rows++;
            }
            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result, connection);
            return rows == Papers ? total : throw new InvalidOperationException($"{rows} rows read, {Papers} expected");
        }
    }

    private static void Check(int result, SqliteConnection connection)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite error {result}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
        }
    }
}
