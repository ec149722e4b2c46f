namespace CitationService.Bench;

/// <summary>Section 1: how long the server takes from process start to answering health checks with SERVING.</summary>
public static class StartupBenchmark
{
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(2);
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the server <see cref="BenchOptions.Starts"/> times; returns the last one, still running, for the other sections.</summary>
    public static async Task<ServerProcess> RunAsync(RepoLayout repo, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Section($"1. Start-up: process start -> first health Check SERVING ({options.Starts} starts, each with an empty database)");
        var table = new Table("start", "pid", "first log line", "'Now listening' logged", "first SERVING");
        var serving = new List<TimeSpan>();
        await ServerProcess.WarmUpClientAsync(cancellationToken);
        ServerProcess? server = null;
        for (var start = 1; start <= options.Starts; start++)
        {
            server = ServerProcess.Start(repo, options.KeepRequestLogs);
            try
            {
                serving.Add(await server.WaitUntilServingAsync(Timeout, cancellationToken));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            table.Add(start.ToString(Report.Culture), server.Pid.ToString(Report.Culture),
                server.FirstLogAfter is { } firstLog ? Report.Seconds(firstLog) : "not seen",
                server.ListeningAfter is { } listening ? Report.Seconds(listening) : "not seen", Report.Seconds(serving[^1]));
            if (start < options.Starts)
            {
                await server.DisposeAsync();
            }
        }
        var median = Median(serving);
        table.Add("median", "", "", "", Report.Seconds(median));
        report.Table(table);
        report.Line($"Target: start-up (model load included) under {Target.TotalSeconds:0} s -> median {Report.Seconds(median)}: {(median < Target ? "MEETS the target" : "DOES NOT meet the target")}; slowest {Report.Seconds(serving.Max())}.");
        report.Line("(first log line = first seed page stored: after runtime start, DI, model load and migrations.)");
        report.Line();
        return server!;
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
