using CitationService.Classification;
using CitationService.Contracts.V1;
using CitationService.Core.Storage;
using Grpc.Core;
using Microsoft.Extensions.Options;
using CoreModel = CitationService.Core.Model;

namespace CitationService.Server.Grpc;

/// <summary>citations.v1.HubService: hub and citing-paper look-ups over the store.</summary>
public sealed class HubGrpcService(ICitationStore store, PageTokens pageTokens, IOptions<ClassifierOptions> classifierOptions) : HubService.HubServiceBase
{
    private readonly float _threshold = classifierOptions.Value.ConfidenceThreshold;

    public override async Task<GetHubResponse> GetHub(GetHubRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var lookup = request.LookupCase switch
        {
            GetHubRequest.LookupOneofCase.HubId => new HubLookup(HubId: ContractMapping.RequiredId(request.HubId, "hub_id")),
            GetHubRequest.LookupOneofCase.Title => new HubLookup(Title: ContractMapping.RequiredId(request.Title, "title")),
            GetHubRequest.LookupOneofCase.ArxivId => new HubLookup(ArxivId: ContractMapping.RequiredId(request.ArxivId, "arxiv_id")),
            GetHubRequest.LookupOneofCase.Doi => new HubLookup(Doi: ContractMapping.RequiredId(request.Doi, "doi")),
            GetHubRequest.LookupOneofCase.SourceUrl => new HubLookup(SourceUrl: ContractMapping.RequiredId(request.SourceUrl, "source_url")),
            _ => throw RpcErrors.InvalidArgument("lookup", "set one of hub_id, title, arxiv_id, doi, source_url"),
        };
        try
        {
            var hub = await store.GetHubAsync(lookup, context.CancellationToken)
                ?? throw RpcErrors.NotFound($"no hub with {Describe(request)}");
            return new GetHubResponse { Hub = hub.ToContract() };
        }
        catch (AmbiguousHubLookupException ambiguous)
        {
            // Never one of them silently: the caller chooses by id.
            throw RpcErrors.FailedPrecondition($"{Describe(request)}: {ambiguous.Message}; look one up by hub_id");
        }
    }

    public override async Task<ListHubsResponse> ListHubs(ListHubsRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var pageSize = ContractMapping.PageSize(request.PageSize, "page_size");
        var titleQuery = ContractMapping.TextQuery(request.TitleQuery);
        var fingerprint = PageTokens.Fingerprint("hubs:" + titleQuery, null);
        var after = pageTokens.Decode(request.PageToken, fingerprint) is { } token ? ParseHubCursor(token.Key) : null;

        var hubs = await store.ListHubsAsync(titleQuery, after, pageSize + 1, context.CancellationToken);
        var response = new ListHubsResponse();
        var budget = new ResponseBudget();
        foreach (var hub in hubs)
        {
            var message = hub.ToContract();
            if (response.Hubs.Count == pageSize || !budget.TryAdd(message))
            {
                break;
            }
            response.Hubs.Add(message);
        }
        if (response.Hubs.Count < hubs.Count)
        {
            var last = hubs[response.Hubs.Count - 1];
            response.NextPageToken = pageTokens.Encode(fingerprint, CoreModel.TextNormalizer.NormalizeTitle(last.Title) + "\n" + last.Id, 0);
        }
        return response;
    }

    public override async Task<GetHubSummaryResponse> GetHubSummary(GetHubSummaryRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var hub = await RequireHubAsync(request.HubId, context.CancellationToken);
        var counts = await store.CountLabelsAsync(hub.Id, _threshold, context.CancellationToken);
        var response = new GetHubSummaryResponse
        {
            HubId = hub.Id,
            CitingPaperCount = counts.CitingPaperCount,
            UnclassifiedRoleCount = counts.UnclassifiedRoles,
            UnclassifiedPolarityCount = counts.UnclassifiedPolarities,
            ConfidenceThreshold = _threshold,
        };
        response.RoleCounts.AddRange(RoleCounts(counts.Roles));
        response.LowConfidenceRoleCounts.AddRange(RoleCounts(counts.LowConfidenceRoles));
        response.PolarityCounts.AddRange(PolarityCounts(counts.Polarities));
        response.LowConfidencePolarityCounts.AddRange(PolarityCounts(counts.LowConfidencePolarities));
        response.StatedRoleCounts.AddRange(hub.StatedRoleCounts.Select(ContractMapping.ToContract));
        response.StatedPolarityCounts.AddRange(hub.StatedPolarityCounts.Select(ContractMapping.ToContract));
        response.RoleAgreement = counts.RoleAgreement.ToContract();
        response.PolarityAgreement = counts.PolarityAgreement.ToContract();
        foreach (var view in await store.GetHubViewsAsync(hub.Id, context.CancellationToken))
        {
            response.FilteredViews.Add(view.ToContract());
        }
        return response;
    }

    public override async Task<GetCitingPaperResponse> GetCitingPaper(GetCitingPaperRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var id = ContractMapping.RequiredId(request.CitingPaperId, "citing_paper_id");
        var paper = await store.GetCitingPaperAsync(id, context.CancellationToken)
            ?? throw RpcErrors.NotFound($"no citing paper with citing_paper_id {FieldLimits.Quote(id)}");
        return new GetCitingPaperResponse { CitingPaper = paper.ToContract(_threshold) };
    }

    public override async Task<ListCitingPapersResponse> ListCitingPapers(ListCitingPapersRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var pageSize = ContractMapping.PageSize(request.PageSize, "page_size");
        var filter = request.Filter.ToCore("filter");
        // Hubs are looked up by exact id, so the id asked for is the stored one whenever the hub exists. Its
        // look-up costs as much as a small page: it is made only when it decides the answer (an unknown hub is
        // NotFound, before any page-token error), not when a paper of the hub has been read.
        var hubId = ContractMapping.RequiredId(request.HubId, "hub_id");
        var fingerprint = PageTokens.Fingerprint("papers:" + hubId, request.Filter);
        CitingPaperCursor? after;
        try
        {
            after = pageTokens.Decode(request.PageToken, fingerprint) is { } token ? new CitingPaperCursor(token.Position, token.Key) : null;
        }
        catch (RpcException)
        {
            await RequireHubAsync(hubId, context.CancellationToken);
            throw;
        }

        var response = new ListCitingPapersResponse();
        var budget = new ResponseBudget();
        CoreModel.CitingPaper? last = null;
        var more = false;
        await foreach (var paper in store.ReadCitingPapersAsync(hubId, filter, after, pageSize + 1, context.CancellationToken))
        {
            var message = paper.ToContract(_threshold);
            if (response.CitingPapers.Count == pageSize || !budget.TryAdd(message))
            {
                more = true;
                break;
            }
            response.CitingPapers.Add(message);
            last = paper;
        }
        if (more && last is not null)
        {
            response.NextPageToken = pageTokens.Encode(fingerprint, last.Id, last.Position);
        }
        if (response.CitingPapers.Count == 0)
        {
            // No paper read: the hub may not exist.
            await RequireHubAsync(hubId, context.CancellationToken);
        }
        return response;
    }

    public override async Task StreamCitingPapers(StreamCitingPapersRequest request, IServerStreamWriter<StreamCitingPapersResponse> responseStream, ServerCallContext context)
    {
        FieldLimits.Check(request);
        var filter = request.Filter.ToCore("filter");
        var hub = await RequireHubAsync(request.HubId, context.CancellationToken);
        // One awaited write at a time: the await is the backpressure, and rows are read as they are sent.
        // Without criteria, rows follow one another without pause: all but every FlushEvery-th write are
        // buffered (one HTTP/2 flush per batch, not per paper), and the flushing write awaits the client. A
        // filter may skip rows for long between two matches, so each match is sent at once.
        var batched = filter.HasCriteria ? 0 : FlushEvery;
        var buffered = 0;
        await foreach (var paper in store.ReadCitingPapersAsync(hub.Id, filter, null, null, context.CancellationToken))
        {
            var flush = ++buffered >= batched;
            responseStream.WriteOptions = flush ? null : BufferedWrite;
            await responseStream.WriteAsync(new StreamCitingPapersResponse { CitingPaper = paper.ToContract(_threshold) }, context.CancellationToken);
            buffered = flush ? 0 : buffered;
        }
    }

    /// <summary>Papers per flush of an unfiltered stream: ~20 KB of typical papers, at most ~1 MB of the largest ones.</summary>
    private const int FlushEvery = 64;

    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    private async Task<CoreModel.Hub> RequireHubAsync(string hubId, CancellationToken cancellationToken)
    {
        var id = ContractMapping.RequiredId(hubId, "hub_id");
        return await store.GetHubAsync(new HubLookup(HubId: id), cancellationToken)
            ?? throw RpcErrors.NotFound($"no hub with hub_id {FieldLimits.Quote(id)}");
    }

    private static HubCursor ParseHubCursor(string key)
    {
        var split = key.LastIndexOf('\n');
        return split < 0
            ? throw RpcErrors.InvalidArgument("page_token", "is not a page token this service issued")
            : new HubCursor(key[..split], key[(split + 1)..]);
    }

    private static string Describe(GetHubRequest request) => request.LookupCase switch
    {
        GetHubRequest.LookupOneofCase.HubId => $"hub_id {FieldLimits.Quote(request.HubId)}",
        GetHubRequest.LookupOneofCase.Title => $"title {FieldLimits.Quote(request.Title)}",
        GetHubRequest.LookupOneofCase.ArxivId => $"arxiv_id {FieldLimits.Quote(request.ArxivId)}",
        GetHubRequest.LookupOneofCase.SourceUrl => $"source_url {FieldLimits.Quote(request.SourceUrl)}",
        _ => $"doi {FieldLimits.Quote(request.Doi)}",
    };

    private static IEnumerable<RoleCount> RoleCounts(IReadOnlyDictionary<CoreModel.CitationRole, int> counts) =>
        counts.Where(c => c.Value > 0).OrderByDescending(c => c.Value).ThenBy(c => c.Key)
            .Select(c => new RoleCount { Role = (CitationRole)c.Key, Count = c.Value });

    private static IEnumerable<PolarityCount> PolarityCounts(IReadOnlyDictionary<CoreModel.CitationPolarity, int> counts) =>
        counts.Where(c => c.Value > 0).OrderByDescending(c => c.Value).ThenBy(c => c.Key)
            .Select(c => new PolarityCount { Polarity = (CitationPolarity)c.Key, Count = c.Value });
}
