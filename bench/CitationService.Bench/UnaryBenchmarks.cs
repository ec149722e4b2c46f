using CitationService.Contracts.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>
/// Section 3: unary throughput and latency, each call type next to the baseline of the same run: the bare RPC
/// `grpc.health.v1.Health/Check`, as the performance issue measures.
/// </summary>
public static class UnaryBenchmarks
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    /// <returns>The Classify result, for comparison with bulk classification.</returns>
    public static async Task<LoadResult> RunAsync(
        IReadOnlyList<GrpcChannel> channels, int serverPid, BenchOptions options, IReadOnlyList<string> summaries,
        Hub seedHub, string bigHubId, Report report, CancellationToken cancellationToken)
    {
        var seedHubId = seedHub.Id;
        var runner = new LoadRunner(channels, options.InFlightPerChannel, serverPid);
        report.Section($"3. Unary calls: {channels.Count} channels x {options.InFlightPerChannel} in flight = {runner.Callers} callers; each call type {options.UnaryCalls:N0} calls or {options.UnaryLimit.TotalSeconds:0} s, after {options.UnaryWarmupCalls:N0} calls or {options.UnaryWarmupLimit.TotalSeconds:0} s of warm-up");

        await CheckAnswersAsync(channels[0], summaries, seedHub, bigHubId, cancellationToken);
        // The big hub's last page: the deepest a keyset read gets in this run (the issue asks for 10,000 pages deep).
        var deepPage = options.BigHubPapers / 50 - 1;
        var deepToken = await PageTokenAtAsync(channels[0], bigHubId, deepPage, cancellationToken);

        var results = new List<LoadResult>
        {
            await runner.RunAsync("Health/Check (a bare RPC) = BASE", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, HealthCheck, cancellationToken),
            await runner.RunAsync($"GetHub by id, seed hub ({seedHub.StoredCitingCount} papers)", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, GetHub(seedHubId), cancellationToken),
            await runner.RunAsync($"GetHub by id, big hub ({options.BigHubPapers:N0} papers)", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, GetHub(bigHubId), cancellationToken),
            await runner.RunAsync($"Classify role+polarity ({summaries.Count} seed summaries)", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, channel =>
            {
                var client = new ClassificationService.ClassificationServiceClient(channel);
                var requests = summaries.Select(text => new ClassifyRequest { Text = text }).ToArray();
                return async (i, ct) => await client.ClassifyAsync(requests[i % requests.Length], deadline: Deadline(), cancellationToken: ct);
            }, cancellationToken),
            await runner.RunAsync($"ListCitingPapers size 50, seed hub ({seedHub.StoredCitingCount} papers)", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, ListCitingPapers(seedHubId), cancellationToken),
            await runner.RunAsync($"ListCitingPapers size 50, big hub ({options.BigHubPapers:N0}), page 1", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, ListCitingPapers(bigHubId), cancellationToken),
            await runner.RunAsync($"ListCitingPapers size 50, big hub, page {deepPage + 1:N0} ({deepPage * 50:N0} deep)", options.UnaryCalls, options.UnaryLimit, options.UnaryWarmupCalls, options.UnaryWarmupLimit, ListCitingPapers(bigHubId, deepToken), cancellationToken),
        };

        var baseline = results[0];
        var table = new Table("call", "calls", "errors", "calls/s", "p50 ms", "p99 ms", "max ms", "calls/s vs base", "p50 vs base", "p99 vs base", "server CPU/call", "client CPU/call");
        foreach (var r in results)
        {
            table.Add(r.Name, Report.Count(r.Calls), Report.Count(r.Errors.Count), Report.Rate(r.CallsPerSecond),
                Report.Ms(r.Latency.Percentile(50)), Report.Ms(r.Latency.Percentile(99)), Report.Ms(r.Latency.Max),
                Report.Ratio(r.CallsPerSecond / baseline.CallsPerSecond),
                Report.Ratio(Ratio(r.Latency.Percentile(50), baseline.Latency.Percentile(50))),
                Report.Ratio(Ratio(r.Latency.Percentile(99), baseline.Latency.Percentile(99))),
                Report.Micros(r.ServerCpuPerCall), Report.Micros(r.ClientCpuPerCall));
        }
        report.Table(table);
        foreach (var r in results.Where(r => r.Errors.Count > 0))
        {
            report.Line($"Errors in '{r.Name}': {r.Errors}");
        }
        return results.Single(r => r.Name.StartsWith("Classify", StringComparison.Ordinal));
    }

    /// <summary>The baseline: <c>grpc.health.v1.Health/Check</c> (the server's health check pings the store).</summary>
    internal static UnaryCall HealthCheck(GrpcChannel channel)
    {
        var client = new Health.HealthClient(channel);
        var request = new HealthCheckRequest();
        return async (_, ct) => await client.CheckAsync(request, deadline: Deadline(), cancellationToken: ct);
    }

    /// <summary>GetHub by id.</summary>
    internal static Func<GrpcChannel, UnaryCall> GetHub(string hubId) => channel =>
    {
        var client = new HubService.HubServiceClient(channel);
        var request = new GetHubRequest { HubId = hubId };
        return async (_, ct) => await client.GetHubAsync(request, deadline: Deadline(), cancellationToken: ct);
    };

    /// <summary>ListCitingPapers, 50 a page, from the start or from <paramref name="pageToken"/>.</summary>
    internal static Func<GrpcChannel, UnaryCall> ListCitingPapers(string hubId, string pageToken = "") => channel =>
    {
        var client = new HubService.HubServiceClient(channel);
        var request = new ListCitingPapersRequest { HubId = hubId, PageSize = 50, PageToken = pageToken };
        return async (_, ct) => await client.ListCitingPapersAsync(request, deadline: Deadline(), cancellationToken: ct);
    };

    // One call of each kind first, so a broken answer fails loudly instead of being timed.
    internal static async Task CheckAnswersAsync(GrpcChannel channel, IReadOnlyList<string> summaries, Hub seedHub, string bigHubId, CancellationToken cancellationToken)
    {
        var seedHubId = seedHub.Id;
        var hubs = new HubService.HubServiceClient(channel);
        var hub = await hubs.GetHubAsync(new GetHubRequest { HubId = seedHubId }, cancellationToken: cancellationToken);
        Require(hub.Hub.Id == seedHubId, $"GetHub returned hub '{hub.Hub.Id}', not '{seedHubId}'");
        var classified = await new ClassificationService.ClassificationServiceClient(channel)
            .ClassifyAsync(new ClassifyRequest { Text = summaries[0] }, cancellationToken: cancellationToken);
        Require(classified.Role?.Role is not (null or CitationRole.Unspecified) && classified.Polarity?.Polarity is not (null or CitationPolarity.Unspecified),
            "Classify returned no role or no polarity");
        var seedPage = await hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = seedHubId, PageSize = 50 }, cancellationToken: cancellationToken);
        var expected = Math.Min(50, seedHub.StoredCitingCount);
        Require(seedPage.CitingPapers.Count == expected, $"ListCitingPapers on the seed hub returned {seedPage.CitingPapers.Count} papers, not {expected}");
        var bigPage = await hubs.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = bigHubId, PageSize = 50 }, cancellationToken: cancellationToken);
        Require(bigPage.CitingPapers.Count == 50, $"ListCitingPapers on the big hub returned {bigPage.CitingPapers.Count} papers, not 50");
    }

    /// <summary>The token of page <paramref name="pages"/> + 1 of the big hub's papers, 50 a page, got by paging as a client would.</summary>
    internal static async Task<string> PageTokenAtAsync(GrpcChannel channel, string bigHubId, int pages, CancellationToken cancellationToken)
    {
        var client = new HubService.HubServiceClient(channel);
        var token = "";
        for (var page = 0; page < pages; page++)
        {
            token = (await client.ListCitingPapersAsync(new ListCitingPapersRequest { HubId = bigHubId, PageSize = 50, PageToken = token },
                deadline: Deadline(), cancellationToken: cancellationToken)).NextPageToken;
            Require(token.Length > 0, $"the big hub ran out of pages at page {page + 1}");
        }
        return token;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Unexpected answer: " + message);
        }
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(CallDeadline);

    private static double Ratio(TimeSpan value, TimeSpan baseline) => baseline > TimeSpan.Zero ? value / baseline : double.NaN;
}
