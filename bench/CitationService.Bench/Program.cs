using System.Diagnostics;
using System.Runtime.InteropServices;
using CitationService.Bench;
using CitationService.Contracts.V1;

// Orchestration only: each section lives in its own class. The server process is always killed, whatever
// happens: Ctrl+C, SIGTERM and SIGHUP cancel the run, so the finally blocks kill it and delete its folder;
// ProcessExit is the last resort.
var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

using var cancellation = new CancellationTokenSource(options.Deadline);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
// Without a registration SIGTERM ends the process on the spot (no finally, no ProcessExit) and the server lives on.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, CancelRun);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, CancelRun);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ServerProcess.KillAll();

var report = new Report(Console.Out);
var total = Stopwatch.StartNew();
ServerProcess? server = null;
PostgresTarget? postgres = null;
try
{
    var repo = RepoLayout.Find(options.ServerAssembly);
    report.Header(options, repo);
    var summaries = Workload.SeedSummaries(repo);
    var token = cancellation.Token;

    server = await StartupBenchmark.RunAsync(repo, options, report, token);
    // --postgres: the second server starts now, so it ingests the big hub right after the SQLite one (section 2)
    // and PostgreSQL's autovacuum has analysed the new rows by the time section 6 reads them.
    postgres = options.Postgres ? await PostgresTarget.StartAsync(repo, options, token) : null;

    var channels = Channels.CreateMany(server.Address, server.ApiKey, options.Channels);
    try
    {
        // The seed page's hub, found the way a client would: by its exact title.
        var seedHub = (await new HubService.HubServiceClient(channels[0])
            .GetHubAsync(new GetHubRequest { Title = SeedHubTitle(repo) }, cancellationToken: token)).Hub;

        var sqlite = new BenchTarget("SQLite", server, channels);
        var ingests = await BulkBenchmarks.IngestBigHubAsync(postgres is null ? [sqlite] : [sqlite, postgres.Target], options, summaries, report, token);
        var bigHubId = ingests[0].HubId;
        var unaryClassify = await UnaryBenchmarks.RunAsync(channels, server.Pid, options, summaries, seedHub, bigHubId, report, token);
        await BulkBenchmarks.RunClassifyStreamAsync(channels[0], options, summaries, unaryClassify, report, token);
        await StreamingBenchmarks.RunAsync(channels, server, bigHubId, options, report, token);
        if (postgres is not null)
        {
            await EngineComparison.RunAsync(sqlite, postgres, seedHub, ingests[0], ingests[1], summaries, options, report, token);
        }
    }
    finally
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }

    report.Line($"Load average at the end: {Report.LoadAverage()}.");
    report.Footer(options);
    report.Line($"Total bench time {Report.Seconds(total.Elapsed)}.");
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped after {Report.Seconds(total.Elapsed)}: cancelled (Ctrl+C, SIGTERM) or the run's {options.Deadline.TotalMinutes:0}-minute limit passed.");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or Grpc.Core.RpcException)
{
    Console.Error.WriteLine($"Benchmark failed: {e.Message}");
    if (server is not null && e is Grpc.Core.RpcException)
    {
        Console.Error.WriteLine("Server log (last lines):" + Environment.NewLine + server.LogTail);
        if (postgres is not null)
        {
            Console.Error.WriteLine("PostgreSQL server log (last lines):" + Environment.NewLine + postgres.Server.LogTail);
        }
    }
    return 1;
}
finally
{
    if (server is not null)
    {
        await server.DisposeAsync();
    }
    if (postgres is not null)
    {
        await postgres.DisposeAsync();
    }
    ServerProcess.KillAll();
}

void CancelRun(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}

// The seed page's title: the line before its count sentence ("N Pith papers cite this work.").
static string SeedHubTitle(RepoLayout repo)
{
    var lines = File.ReadAllLines(Path.Combine(repo.SeedsDirectory, Workload.SeedPage));
    var count = Array.FindIndex(lines, l => l.Contains("Pith papers cite this work", StringComparison.Ordinal));
    return count > 0 ? lines[count - 1].Trim() : throw new InvalidOperationException($"No title line in seeds/{Workload.SeedPage}.");
}
