using System.Diagnostics;
using CitationService.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// Section 5: StreamCitingPapers over the big hub, alone and as concurrent streams, with the server's memory
/// before, during and after, to show the server streams rows rather than loading the result set.
/// </summary>
public static class StreamingBenchmarks
{
    public static async Task RunAsync(IReadOnlyList<GrpcChannel> channels, ServerProcess server, string bigHubId, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Section($"5. Streaming: StreamCitingPapers of the {options.BigHubPapers:N0}-paper hub, 1 stream then {options.ConcurrentStreams} concurrent streams");
        var runs = new List<StreamRun>
        {
            await MeasureAsync(channels.Take(1).ToList(), 1, server, bigHubId, options, cancellationToken),
            await MeasureAsync(channels, options.ConcurrentStreams, server, bigHubId, options, cancellationToken),
        };

        var table = new Table("streams", "papers", "time", "papers/s", "result set", "RSS before", "RSS max during", "RSS after", "RSS growth (max-before)", "VmHWM before", "VmHWM after");
        foreach (var run in runs)
        {
            table.Add(run.Streams.ToString(Report.Culture), Report.Count(run.Papers), Report.Seconds(run.Wall), Report.Rate(run.Papers / run.Wall.TotalSeconds),
                Report.Mib(run.ResultBytes), Report.Mib(run.Before.RssBytes), Report.Mib(run.MaxRssDuring), Report.Mib(run.After.RssBytes),
                Report.SignedMib(run.MaxRssDuring - run.Before.RssBytes), Report.Mib(run.Before.PeakRssBytes), Report.Mib(run.After.PeakRssBytes));
        }
        report.Table(table);
        foreach (var run in runs)
        {
            var growth = run.MaxRssDuring - run.Before.RssBytes;
            report.Line($"{run.Streams} stream(s): RSS growth {Report.SignedMib(growth)} = {100.0 * growth / run.ResultBytes:0}% of the {Report.Mib(run.ResultBytes)} result set; VmHWM {(run.After.PeakRssBytes > run.Before.PeakRssBytes ? "rose by " + Report.Mib(run.After.PeakRssBytes - run.Before.PeakRssBytes) : "did not rise")}.");
        }
        report.Line();
    }

    private static async Task<StreamRun> MeasureAsync(IReadOnlyList<GrpcChannel> channels, int streams, ServerProcess server, string hubId, BenchOptions options, CancellationToken cancellationToken)
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
            if (papers != options.BigHubPapers)
            {
                throw new InvalidOperationException($"StreamCitingPapers sent {papers} papers, not {options.BigHubPapers}.");
            }
        }
        return new StreamRun(streams, results.Sum(r => r.Papers), results.Sum(r => r.Bytes), wall.Elapsed, before, Math.Max(sampler.MaxRssBytes, after.RssBytes), after);
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

    private sealed record StreamRun(int Streams, long Papers, long ResultBytes, TimeSpan Wall, MemoryStatus Before, long MaxRssDuring, MemoryStatus After);
}
