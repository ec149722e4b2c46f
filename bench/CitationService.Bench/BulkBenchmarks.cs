using System.Diagnostics;
using CitationService.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>Section 2 (ingest of a large hub page) and section 4 (bulk classification over one stream).</summary>
public static class BulkBenchmarks
{
    private const int MaxAhead = 256;

    /// <summary>
    /// Ingests a generated hub with <see cref="BenchOptions.BigHubPapers"/> citing papers, each with a seed summary,
    /// in one IngestHubPage call to each target in turn (the SQLite server, and the PostgreSQL one with
    /// <c>--postgres</c>): the call stores and labels every paper.
    /// </summary>
    /// <returns>Per target, in order: the new hub's id and the call's figures.</returns>
    public static async Task<IReadOnlyList<IngestResult>> IngestBigHubAsync(IReadOnlyList<BenchTarget> targets, BenchOptions options, IReadOnlyList<string> summaries, Report report, CancellationToken cancellationToken)
    {
        var page = Workload.BigHubPage(options.BigHubPapers, summaries, out _);
        var pageBytes = System.Text.Encoding.UTF8.GetByteCount(page);
        report.Section($"2. Ingest: one IngestHubPage call with a generated page of {options.BigHubPapers:N0} citing papers with summaries ({Report.Mib(pageBytes)}), labelled in the call; target 100,000 in <= 10 s");

        var table = new Table("call", "papers added", "labelled", "warnings", "time", "papers/s", "server RSS before", "after", "VmHWM after");
        var results = new List<IngestResult>();
        foreach (var target in targets)
        {
            var client = new IngestionService.IngestionServiceClient(target.Channels[0]);
            var before = target.Server.ReadMemory();
            var serverCpu = CpuTime.OfProcess(target.Server.Pid);
            var databaseCpu = target.DatabaseCpu?.Invoke();
            var wall = Stopwatch.StartNew();
            var reply = await client.IngestHubPageAsync(new IngestHubPageRequest { PageText = page },
                deadline: DateTime.UtcNow.AddMinutes(3), cancellationToken: cancellationToken);
            wall.Stop();
            var after = target.Server.ReadMemory();
            if (reply.CitingPapersAdded != options.BigHubPapers || reply.CitingPapersLabelled != options.BigHubPapers)
            {
                throw new InvalidOperationException($"IngestHubPage ({target.Engine}) added {reply.CitingPapersAdded} and labelled {reply.CitingPapersLabelled} papers, not {options.BigHubPapers}; warnings: {string.Join(" | ", reply.Warnings)}");
            }

            results.Add(new IngestResult(reply.HubId, wall.Elapsed, CpuTime.OfProcess(target.Server.Pid) - serverCpu, target.DatabaseCpu?.Invoke() - databaseCpu));
            // One target is the default run, whose table has always read "IngestHubPage".
            table.Add(targets.Count == 1 ? "IngestHubPage" : $"IngestHubPage, {target.Engine}", Report.Count(reply.CitingPapersAdded), Report.Count(reply.CitingPapersLabelled), Report.Count(reply.Warnings.Count), Report.Seconds(wall.Elapsed),
                Report.Rate(reply.CitingPapersAdded / wall.Elapsed.TotalSeconds), Report.Mib(before.RssBytes), Report.Mib(after.RssBytes), Report.Mib(after.PeakRssBytes));
        }
        report.Table(table);
        return results;
    }

    /// <summary>ClassifyStream over <see cref="BenchOptions.BulkTexts"/> texts, cycling the seed summaries; sends and reads concurrently.</summary>
    public static async Task RunClassifyStreamAsync(GrpcChannel channel, BenchOptions options, IReadOnlyList<string> summaries,
        LoadResult unaryClassify, Report report, CancellationToken cancellationToken)
    {
        report.Section($"4. Bulk classification: one ClassifyStream call, {options.BulkTexts:N0} texts or {options.BulkLimit.TotalSeconds:0} s (the seed summaries, cycled; {MaxAhead} in flight)");
        var client = new ClassificationService.ClassificationServiceClient(channel);
        var requests = summaries.Select(text => new ClassifyStreamRequest { Request = new ClassifyRequest { Text = text } }).ToArray();

        var wall = Stopwatch.StartNew();
        using var call = client.ClassifyStream(deadline: DateTime.UtcNow.AddMinutes(3), cancellationToken: cancellationToken);
        // The writer runs alongside the reader, at most MaxAhead texts ahead of the answers: enough to keep the
        // server busy, few enough that stopping at the time limit (every text sent is still answered and counted)
        // does not leave seconds of queued work behind.
        using var window = new SemaphoreSlim(MaxAhead);
        var writer = Task.Run(async () =>
        {
            var sent = 0;
            while (sent < options.BulkTexts && wall.Elapsed < options.BulkLimit)
            {
                await window.WaitAsync(cancellationToken);
                await call.RequestStream.WriteAsync(requests[sent % requests.Length], cancellationToken);
                sent++;
            }
            await call.RequestStream.CompleteAsync();
            return sent;
        }, cancellationToken);

        long received = 0;
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (response.Index != received || response.Response?.Role is null || response.Response.Polarity is null)
            {
                throw new InvalidOperationException($"ClassifyStream answer {received} is out of order or incomplete (index {response.Index}).");
            }
            received++;
            window.Release();
        }
        var sent = await writer;
        wall.Stop();
        if (received != sent)
        {
            throw new InvalidOperationException($"ClassifyStream answered {received} of {sent} texts.");
        }

        var perSecond = received / wall.Elapsed.TotalSeconds;
        report.Table(new Table("call", "texts", "time", "texts/s", "vs unary Classify calls/s")
            .Add("ClassifyStream (role+polarity)", Report.Count(received), Report.Seconds(wall.Elapsed), Report.Rate(perSecond),
                Report.Ratio(perSecond / unaryClassify.CallsPerSecond)));
    }
}

/// <summary>One IngestHubPage of the big hub: the hub's id, the call's wall time, and the CPU time of the server and of a database server outside it (null: none, or not visible).</summary>
public sealed record IngestResult(string HubId, TimeSpan Wall, TimeSpan ServerCpu, TimeSpan? DatabaseCpu);
