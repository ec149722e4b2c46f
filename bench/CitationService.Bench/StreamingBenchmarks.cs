using System.Diagnostics;
using CitationService.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// Section 5: StreamCitingPapers over the big hub, alone and as concurrent streams, then over the generated
/// 10^6-paper hub alone (the performance issue's stream target), with the server's memory before, during and
/// after, to show the server streams rows rather than loading the result set.
/// </summary>
public static class StreamingBenchmarks
{
    public static async Task RunAsync(IReadOnlyList<GrpcChannel> channels, ServerProcess server, string bigHubId, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Section($"5. Streaming: StreamCitingPapers of the {options.BigHubPapers:N0}-paper hub, 1 stream then {options.ConcurrentStreams} concurrent streams; then of a generated {options.MillionHubPapers:N0}-paper hub, 1 stream");
        var runs = new List<StreamRun>
        {
            await MeasureAsync(channels.Take(1).ToList(), 1, server, bigHubId, options.BigHubPapers, cancellationToken),
            await MeasureAsync(channels, options.ConcurrentStreams, server, bigHubId, options.BigHubPapers, cancellationToken),
        };
        var millionHubId = await IngestMillionHubAsync(channels[0], options, report, cancellationToken);
        runs.Add(await MeasureAsync(channels.Take(1).ToList(), 1, server, millionHubId, options.MillionHubPapers, cancellationToken));

        var table = new Table("hub", "streams", "papers", "time", "papers/s", "result set", "RSS before", "RSS max during", "RSS after", "RSS growth (max-before)", "VmHWM before", "VmHWM after");
        foreach (var run in runs)
        {
            table.Add(Report.Count(run.HubPapers), run.Streams.ToString(Report.Culture), Report.Count(run.Papers), Report.Seconds(run.Wall), Report.Rate(run.Papers / run.Wall.TotalSeconds),
                Report.Mib(run.ResultBytes), Report.Mib(run.Before.RssBytes), Report.Mib(run.MaxRssDuring), Report.Mib(run.After.RssBytes),
                Report.SignedMib(run.MaxRssDuring - run.Before.RssBytes), Report.Mib(run.Before.PeakRssBytes), Report.Mib(run.After.PeakRssBytes));
        }
        report.Table(table);
        foreach (var run in runs)
        {
            var growth = run.MaxRssDuring - run.Before.RssBytes;
            report.Line($"{run.HubPapers:N0}-paper hub, {run.Streams} stream(s): RSS growth {Report.SignedMib(growth)} = {100.0 * growth / run.ResultBytes:0}% of the {Report.Mib(run.ResultBytes)} result set; VmHWM {(run.After.PeakRssBytes > run.Before.PeakRssBytes ? "rose by " + Report.Mib(run.After.PeakRssBytes - run.Before.PeakRssBytes) : "did not rise")}.");
        }
        var million = runs[^1];
        var perSecond = million.Papers / million.Wall.TotalSeconds;
        var growthMib = (million.MaxRssDuring - million.Before.RssBytes) / (1024.0 * 1024.0);
        report.Line($"Target: one stream of the {options.MillionHubPapers:N0}-paper hub >= 150,000 papers/s -> {Report.Rate(perSecond)} papers/s: {(perSecond >= 150_000 ? "MEETS" : "does NOT meet")} it; server memory growth < 50 MB -> {Report.SignedMib(million.MaxRssDuring - million.Before.RssBytes)}: {(growthMib < 50 ? "MEETS" : "does NOT meet")} it.");
        report.Line();
    }

    /// <summary>
    /// Ingests the generated 10^6-paper hub (<see cref="Workload.TitlesOnlyPage"/>) as pages of
    /// <see cref="BenchOptions.MillionHubPagePapers"/>: the first at the hub's address, the others as filtered views
    /// of it, whose new papers follow the hub's last. Reports the pages' total time; returns the hub's id.
    /// </summary>
    private static async Task<string> IngestMillionHubAsync(GrpcChannel channel, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var client = new IngestionService.IngestionServiceClient(channel);
        var hubId = "";
        var added = 0;
        var pages = 0;
        var wall = Stopwatch.StartNew();
        for (var first = 1; first <= options.MillionHubPapers; first += options.MillionHubPagePapers)
        {
            var count = Math.Min(options.MillionHubPagePapers, options.MillionHubPapers - first + 1);
            var source = pages == 0 ? Workload.MillionHubAddress : $"{Workload.MillionHubAddress}?part={pages + 1}";
            var reply = await client.IngestHubPageAsync(
                new IngestHubPageRequest { PageText = Workload.TitlesOnlyPage(first, count, options.MillionHubPapers), SourceUrl = source },
                deadline: DateTime.UtcNow.AddMinutes(3), cancellationToken: cancellationToken);
            if (reply.CitingPapersAdded != count || (hubId.Length > 0 && reply.HubId != hubId))
            {
                throw new InvalidOperationException($"IngestHubPage of the {options.MillionHubPapers:N0}-paper hub's page {pages + 1} added {reply.CitingPapersAdded} papers to hub {reply.HubId}, not {count} to {(hubId.Length > 0 ? hubId : "a new hub")}; warnings: {string.Join(" | ", reply.Warnings)}");
            }
            hubId = reply.HubId;
            added += reply.CitingPapersAdded;
            pages++;
        }
        wall.Stop();
        report.Line($"The {added:N0}-paper hub (\"{Workload.MillionHubTitle}\"): {pages} IngestHubPage calls of up to {options.MillionHubPagePapers:N0} titles in {Report.Seconds(wall.Elapsed)} ({Report.Rate(added / wall.Elapsed.TotalSeconds)} papers/s).");
        return hubId;
    }

    private static async Task<StreamRun> MeasureAsync(IReadOnlyList<GrpcChannel> channels, int streams, ServerProcess server, string hubId, int hubPapers, CancellationToken cancellationToken)
    {
        var before = server.ReadMemory();
        await using var sampler = new MemorySampler(server.Pid);
        var wall = Stopwatch.StartNew();
        // Streams spread over the channels (one connection each), as separate clients would be.
        var results = await Task.WhenAll(Enumerable.Range(0, streams)
            .Select(i => ReadAllAsync(channels[i % channels.Count], hubId, cancellationToken)));
        wall.Stop();
        var after = server.ReadMemory();
        foreach (var (papers, _) in results)
        {
            if (papers != hubPapers)
            {
                throw new InvalidOperationException($"StreamCitingPapers sent {papers} papers, not {hubPapers}.");
            }
        }
        return new StreamRun(hubPapers, streams, results.Sum(r => r.Papers), results.Sum(r => r.Bytes), wall.Elapsed, before, Math.Max(sampler.MaxRssBytes, after.RssBytes), after);
    }

    /// <summary>Reads one whole StreamCitingPapers of <paramref name="hubId"/>, checking the positions run 0, 1, 2, ...</summary>
    internal static async Task<(long Papers, long Bytes)> ReadAllAsync(GrpcChannel channel, string hubId, CancellationToken cancellationToken)
    {
        var client = new HubService.HubServiceClient(channel);
        using var call = client.StreamCitingPapers(new StreamCitingPapersRequest { HubId = hubId },
            deadline: DateTime.UtcNow.AddMinutes(3), cancellationToken: cancellationToken);
        long papers = 0, bytes = 0;
        var expectedPosition = 0;
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (message.CitingPaper.Position != expectedPosition++)
            {
                throw new InvalidOperationException($"StreamCitingPapers sent position {message.CitingPaper.Position} where {expectedPosition - 1} was due.");
            }
            papers++;
            bytes += message.CalculateSize();
        }
        return (papers, bytes);
    }

    private sealed record StreamRun(int HubPapers, int Streams, long Papers, long ResultBytes, TimeSpan Wall, MemoryStatus Before, long MaxRssDuring, MemoryStatus After);
}
