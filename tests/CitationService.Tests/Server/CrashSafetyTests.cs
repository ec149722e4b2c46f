using System.Diagnostics;
using CitationService.Classification;
using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace CitationService.Tests.Server;

/// <summary>
/// The real server process killed with SIGKILL while it ingests large pages, at random moments: after
/// each kill the database is intact, the hub is wholly one version or the other, every label is what the
/// models say of its stored summary and hub, and the restarted service serves.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Papers = 10_000;
    private const string PageUrl = "https://pith.science/citations/crash-safety";
    private const string ApiKey = "crash-safety-test-key";

    // CI runs two kills; CRASH_SAFETY_KILLS=20 runs the full check (docs/RELIABILITY.md).
    private static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SAFETY_KILLS"), out var kills) ? kills : 2;

    [Fact]
    public async Task Killing_the_server_during_large_ingests_leaves_an_intact_database_with_whole_hubs_and_current_labels()
    {
        using var folder = new TempFolder();
        var database = Path.Combine(folder.Path, "citations.db");
        string[] versions = ["a", "b"];
        var pages = versions.ToDictionary(v => v, v => LabelConsistencyTests.Page($"Abstract of version {v}.", 0, Papers, v));
        var classifier = ModelCitationClassifier.Load(RepositoryPaths.Models);
        var random = new Random(20261201);

        // A whole ingest first: it stores version a and gives the window the kills are spread over.
        TimeSpan ingestTime;
        using (var server = await ServerProcess.StartAsync(TestDatabase.SqliteFile(database), ApiKey))
        {
            var started = Stopwatch.GetTimestamp();
            await IngestAsync(server, pages["a"]);
            ingestTime = Stopwatch.GetElapsedTime(started);
        }
        AssertIntact(database, classifier, versions);

        for (var kill = 0; kill < Kills; kill++)
        {
            using var server = await ServerProcess.StartAsync(TestDatabase.SqliteFile(database), ApiKey);
            var ingest = IngestAsync(server, pages[versions[(kill + 1) % 2]]);
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * ingestTime.TotalMilliseconds * 1.2));
            server.Kill();
            try
            {
                await ingest;
            }
            catch (RpcException)
            {
                // Cut off by the kill; whether it landed is what the checks find out.
            }
            AssertIntact(database, classifier, versions);
        }

        using var last = await ServerProcess.StartAsync(TestDatabase.SqliteFile(database), ApiKey);
        var hub = await new HubService.HubServiceClient(last.Channel).ListHubsAsync(new ListHubsRequest());
        Assert.Equal(Papers, Assert.Single(hub.Hubs).StoredCitingCount);
    }

    private static Task<IngestHubPageResponse> IngestAsync(ServerProcess server, string page) =>
        new IngestionService.IngestionServiceClient(server.Channel).IngestHubPageAsync(
            new IngestHubPageRequest { PageText = page, SourceUrl = PageUrl }).ResponseAsync;

    private static void AssertIntact(string database, ModelCitationClassifier classifier, string[] versions)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar<string>(connection, "PRAGMA integrity_check"));

        var hubs = Rows(connection, "SELECT id, title, abstract, tier_label, citing_paper_count FROM hubs");
        var hub = Assert.Single(hubs);
        var hubText = new HubText((string)hub[1], (string)hub[2], (string)hub[3]);
        var version = versions.Single(v => hubText.Abstract == $"Abstract of version {v}.");
        var papers = Rows(connection, """
            SELECT c.title, c.summary, lr.label, lr.confidence, lr.source_version, lp.label, lp.confidence
            FROM citing_papers c
            LEFT JOIN citing_paper_labels lr ON lr.paper_key = c.paper_key AND lr.task = 'role'
            LEFT JOIN citing_paper_labels lp ON lp.paper_key = c.paper_key AND lp.task = 'polarity'
            """);
        Assert.Equal(Papers, papers.Count);
        Assert.Equal((long)Papers, (long)hub[4]);

        var wrong = 0;
        foreach (var paper in papers)
        {
            var summary = (string)paper[1];
            Assert.StartsWith($"({version} ", summary);
            var text = CitationText.Summary(summary, hubText);
            var role = classifier.ClassifyRole(text);
            var polarity = classifier.ClassifyPolarity(text);
            var matches = paper[2] is long storedRole && storedRole == (long)role.Label
                && (float)(double)paper[3] == role.Confidence && (string)paper[4] == role.ModelVersion
                && paper[5] is long storedPolarity && storedPolarity == (long)polarity.Label
                && (float)(double)paper[6] == polarity.Confidence;
            wrong += matches ? 0 : 1;
        }
        Assert.True(wrong == 0, $"{wrong} of {Papers} papers hold labels that are not the models' for their stored summary and hub");
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    private static List<object[]> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
