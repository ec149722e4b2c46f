using System.Diagnostics;
using CitationService.Contracts.V1;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// Section 6 (<c>--postgres</c>): the store-bound calls on the SQLite server and on the PostgreSQL one, each pair
/// measured back to back (SQLite first) with the same load, and PostgreSQL's time as a multiple of SQLite's
/// against the issue's target: look-ups, lists and streams on PostgreSQL within 2x of SQLite.
/// </summary>
public static class EngineComparison
{
    /// <summary>The issue's bound on PostgreSQL's time over SQLite's.</summary>
    public const double Target = 2.0;

    /// <summary>
    /// Measures and prints section 6. <paramref name="sqliteIngest"/> and <paramref name="postgresIngest"/> are the
    /// big hub's ingests of section 2, one right after the other; their hubs are the ones read here.
    /// </summary>
    public static async Task RunAsync(BenchTarget sqlite, PostgresTarget postgres, Hub sqliteSeedHub, IngestResult sqliteIngest, IngestResult postgresIngest,
        IReadOnlyList<string> summaries, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Section($"6. PostgreSQL vs SQLite: the store-bound calls on both servers, each pair back to back (SQLite first); target PostgreSQL within {Target:0}x of SQLite");
        report.Line($"PostgreSQL: {postgres.Database.Description}.");
        report.Line($"PostgreSQL server: first SERVING {Report.Seconds(postgres.ServingAfter)} after process start (migrations and seed pages on PostgreSQL).");
        report.Line();

        // The same reads on both: each server's seed hub (found by title, as a client would) and big hub, and the
        // big hub's last page reached by paging on that server (a page token belongs to the server that made it).
        var onSqlite = await PrepareAsync(sqlite, sqliteSeedHub, sqliteIngest.HubId, summaries, options, cancellationToken);
        var postgresSeedHub = (await new HubService.HubServiceClient(postgres.Channels[0])
            .GetHubAsync(new GetHubRequest { Title = sqliteSeedHub.Title }, cancellationToken: cancellationToken)).Hub;
        var onPostgres = await PrepareAsync(postgres.Target, postgresSeedHub, postgresIngest.HubId, summaries, options, cancellationToken);
        await RequireSameAnswersAsync(onSqlite, onPostgres, cancellationToken);

        var deepPage = options.BigHubPapers / 50 - 1;
        var rows = new List<ComparisonRow>
        {
            await UnaryAsync("Health/Check (pings the store; no target)", hasTarget: false, _ => UnaryBenchmarks.HealthCheck),
            await UnaryAsync($"GetHub by id, seed hub ({sqliteSeedHub.StoredCitingCount} papers)", hasTarget: true, s => UnaryBenchmarks.GetHub(s.SeedHub.Id)),
            await UnaryAsync($"GetHub by id, big hub ({options.BigHubPapers:N0} papers)", hasTarget: true, s => UnaryBenchmarks.GetHub(s.BigHubId)),
            await UnaryAsync($"ListCitingPapers size 50, seed hub ({sqliteSeedHub.StoredCitingCount} papers)", hasTarget: true, s => UnaryBenchmarks.ListCitingPapers(s.SeedHub.Id)),
            await UnaryAsync($"ListCitingPapers size 50, big hub, page 1", hasTarget: true, s => UnaryBenchmarks.ListCitingPapers(s.BigHubId)),
            await UnaryAsync($"ListCitingPapers size 50, big hub, page {deepPage + 1:N0} ({deepPage * 50:N0} deep)", hasTarget: true, s => UnaryBenchmarks.ListCitingPapers(s.BigHubId, s.DeepPageToken)),
            await StreamsAsync(1),
            await StreamsAsync(options.ConcurrentStreams),
            IngestRow(),
        };

        var table = new Table("call", "SQLite", "PostgreSQL", "PG/SQLite time", $"<= {Target:0}x target", "p50 SQLite", "p50 PG",
            "CPU/unit SQLite", "CPU/unit PG (server + postgres)", "CPU PG/SQLite");
        foreach (var row in rows)
        {
            table.Add(row.Name, row.Sqlite, row.Postgres, Report.Ratio(row.TimeRatio), !row.HasTarget ? "-" : row.TimeRatio <= Target ? "met" : "NOT met",
                row.SqliteP50, row.PostgresP50, row.SqliteCpu, row.PostgresCpu, row.CpuRatio is { } cpuRatio ? Report.Ratio(cpuRatio) : "n/a");
        }
        report.Table(table);
        foreach (var error in rows.Where(r => r.Errors.Length > 0))
        {
            report.Line($"Errors in '{error.Name}': {error.Errors}");
        }

        var targeted = rows.Where(r => r.HasTarget && !r.Name.StartsWith("IngestHubPage", StringComparison.Ordinal)).ToList();
        var missed = targeted.Where(r => r.TimeRatio > Target).ToList();
        report.Line(missed.Count == 0
            ? $"Target: look-ups, lists and streams on PostgreSQL within {Target:0}x of SQLite -> MET for all {targeted.Count} (worst {Report.Ratio(targeted.Max(r => r.TimeRatio))})."
            : $"Target: look-ups, lists and streams on PostgreSQL within {Target:0}x of SQLite -> NOT MET for {missed.Count} of {targeted.Count}: {string.Join("; ", missed.Select(r => $"{r.Name} {Report.Ratio(r.TimeRatio)}"))}.");
        var ingest = rows[^1];
        report.Line($"Ingest of the big hub: PostgreSQL takes {Report.Ratio(ingest.TimeRatio)} SQLite's time ({(ingest.TimeRatio <= Target ? "within" : "beyond")} {Target:0}x).");
        report.Line("PG/SQLite time: PostgreSQL's time per call (closed loop: SQLite's calls/s over PostgreSQL's), per paper (streams) or per call (ingest)");
        report.Line("over SQLite's; above 1 PostgreSQL is slower. CPU/unit: the server's CPU per call or per paper, for PostgreSQL plus its server's");
        report.Line("processes (postmaster and backends; n/a when that server is not on this machine): the steadier figure when the machine is shared.");
        report.Line();

        async Task<ComparisonRow> UnaryAsync(string name, bool hasTarget, Func<Subject, Func<GrpcChannel, UnaryCall>> call)
        {
            var results = new List<LoadResult>();
            foreach (var subject in (Subject[])[onSqlite, onPostgres])
            {
                var runner = new LoadRunner(subject.Target.Channels, options.InFlightPerChannel, subject.Target.Server.Pid, subject.Target.DatabaseCpu);
                results.Add(await runner.RunAsync($"{name} ({subject.Target.Engine})", options.UnaryCalls, options.UnaryLimit,
                    options.UnaryWarmupCalls, options.UnaryWarmupLimit, call(subject), cancellationToken));
            }
            var (s, p) = (results[0], results[1]);
            return new ComparisonRow(name, hasTarget,
                Report.Rate(s.CallsPerSecond) + " calls/s", Report.Rate(p.CallsPerSecond) + " calls/s", s.CallsPerSecond / p.CallsPerSecond,
                Report.Ms(s.Latency.Percentile(50)) + " ms", Report.Ms(p.Latency.Percentile(50)) + " ms",
                s.ServerCpuPerCall, p.ServerCpuPerCall, p.DatabaseCpuPerCall,
                string.Join("; ", results.Where(r => r.Errors.Count > 0).Select(r => $"{r.Name}: {r.Errors}")));
        }

        async Task<ComparisonRow> StreamsAsync(int streams)
        {
            var s = await MeasureStreamsAsync(onSqlite, streams, options, cancellationToken);
            var p = await MeasureStreamsAsync(onPostgres, streams, options, cancellationToken);
            return new ComparisonRow($"StreamCitingPapers, big hub, {streams} stream{(streams == 1 ? "" : "s")}", true,
                Report.Rate(s.PapersPerSecond) + " papers/s", Report.Rate(p.PapersPerSecond) + " papers/s", s.PapersPerSecond / p.PapersPerSecond,
                "", "", s.ServerCpu / s.Papers, p.ServerCpu / p.Papers, p.DatabaseCpu / p.Papers, "");
        }

        ComparisonRow IngestRow()
        {
            var papers = options.BigHubPapers;
            return new ComparisonRow("IngestHubPage, big hub (section 2)", true,
                Report.Seconds(sqliteIngest.Wall), Report.Seconds(postgresIngest.Wall), postgresIngest.Wall / sqliteIngest.Wall, "", "",
                sqliteIngest.ServerCpu / papers, postgresIngest.ServerCpu / papers, postgresIngest.DatabaseCpu / papers, "");
        }
    }

    private static async Task<Subject> PrepareAsync(BenchTarget target, Hub seedHub, string bigHubId, IReadOnlyList<string> summaries, BenchOptions options, CancellationToken cancellationToken)
    {
        await UnaryBenchmarks.CheckAnswersAsync(target.Channels[0], summaries, seedHub, bigHubId, cancellationToken);
        var deepToken = await UnaryBenchmarks.PageTokenAtAsync(target.Channels[0], bigHubId, options.BigHubPapers / 50 - 1, cancellationToken);
        // The streaming path's first use (JIT, the reader's first statement) on a small hub, outside the figures.
        await StreamingBenchmarks.ReadAllAsync(target.Channels[0], seedHub.Id, cancellationToken);
        return new Subject(target, seedHub, bigHubId, deepToken);
    }

    // Both stores hold the same pages: the engines must give the same answers before their times are compared.
    private static async Task RequireSameAnswersAsync(Subject sqlite, Subject postgres, CancellationToken cancellationToken)
    {
        if (sqlite.SeedHub.StoredCitingCount != postgres.SeedHub.StoredCitingCount)
        {
            throw new InvalidOperationException($"Unexpected answer: the seed hub holds {sqlite.SeedHub.StoredCitingCount} papers on SQLite, {postgres.SeedHub.StoredCitingCount} on PostgreSQL.");
        }
        foreach (var (name, token) in ((string, Func<Subject, string>)[])[("first", _ => ""), ("last", s => s.DeepPageToken)])
        {
            var pages = new List<string[]>();
            foreach (var subject in (Subject[])[sqlite, postgres])
            {
                var page = await new HubService.HubServiceClient(subject.Target.Channels[0]).ListCitingPapersAsync(
                    new ListCitingPapersRequest { HubId = subject.BigHubId, PageSize = 50, PageToken = token(subject) }, cancellationToken: cancellationToken);
                pages.Add(page.CitingPapers.Select(p => $"{p.Position} {p.Title} {p.Role?.Role} {p.Polarity?.Polarity}").ToArray());
            }
            if (!pages[0].SequenceEqual(pages[1]))
            {
                throw new InvalidOperationException($"Unexpected answer: the big hub's {name} page differs between SQLite and PostgreSQL.");
            }
        }
    }

    private static async Task<StreamFigures> MeasureStreamsAsync(Subject subject, int streams, BenchOptions options, CancellationToken cancellationToken)
    {
        var target = subject.Target;
        var serverCpu = CpuTime.OfProcess(target.Server.Pid);
        var databaseCpu = target.DatabaseCpu?.Invoke();
        var wall = Stopwatch.StartNew();
        // Spread over the channels (one connection each), as separate clients would be.
        var results = await Task.WhenAll(Enumerable.Range(0, streams)
            .Select(i => StreamingBenchmarks.ReadAllAsync(target.Channels[i % target.Channels.Count], subject.BigHubId, cancellationToken)));
        wall.Stop();
        foreach (var (papers, _) in results)
        {
            if (papers != options.BigHubPapers)
            {
                throw new InvalidOperationException($"StreamCitingPapers ({target.Engine}) sent {papers} papers, not {options.BigHubPapers}.");
            }
        }
        var total = results.Sum(r => r.Papers);
        return new StreamFigures(total, total / wall.Elapsed.TotalSeconds, CpuTime.OfProcess(target.Server.Pid) - serverCpu, target.DatabaseCpu?.Invoke() - databaseCpu);
    }

    /// <summary>One server with the ids and the page token its reads use.</summary>
    private sealed record Subject(BenchTarget Target, Hub SeedHub, string BigHubId, string DeepPageToken);

    private sealed record StreamFigures(long Papers, double PapersPerSecond, TimeSpan ServerCpu, TimeSpan? DatabaseCpu);

    /// <summary>One measurement on both engines: the figures as printed, PostgreSQL's time over SQLite's, CPU per unit (call, paper).</summary>
    private sealed record ComparisonRow(string Name, bool HasTarget, string Sqlite, string Postgres, double TimeRatio, string SqliteP50, string PostgresP50,
        TimeSpan SqliteServerCpu, TimeSpan PostgresServerCpu, TimeSpan? PostgresDatabaseCpu, string Errors)
    {
        public string SqliteCpu => Report.Micros(SqliteServerCpu);

        public string PostgresCpu => PostgresDatabaseCpu is { } database
            ? $"{Report.Micros(PostgresServerCpu + database)} ({Report.Micros(PostgresServerCpu)} + {Report.Micros(database)})"
            : $"{Report.Micros(PostgresServerCpu)} + n/a";

        public double? CpuRatio => PostgresDatabaseCpu is { } database && SqliteServerCpu > TimeSpan.Zero
            ? (PostgresServerCpu + database) / SqliteServerCpu
            : null;
    }
}
