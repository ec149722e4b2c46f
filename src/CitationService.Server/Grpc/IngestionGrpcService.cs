using CitationService.Contracts.V1;
using CitationService.Core.Ingestion;
using CitationService.Core.Pages;
using CitationService.Server.Startup;
using Grpc.Core;

namespace CitationService.Server.Grpc;

/// <summary>citations.v1.IngestionService: hub pages in, through the parser, into the store.</summary>
public sealed class IngestionGrpcService(HubPageIngestor ingestor, LabelSweepService labelSweep) : IngestionService.IngestionServiceBase
{
    public override async Task<IngestHubPageResponse> IngestHubPage(IngestHubPageRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request);
        if (string.IsNullOrWhiteSpace(request.PageText))
        {
            throw RpcErrors.InvalidArgument("page_text", "must not be empty");
        }
        var sourceUrl = request.SourceUrl.Trim();
        if (sourceUrl.Length > 0
            && !(Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw RpcErrors.InvalidArgument("source_url", $"{FieldLimits.Quote(sourceUrl)} is not an absolute http(s) URL");
        }

        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(request.PageText, sourceUrl, context.CancellationToken);
        }
        catch (HubPageFormatException e)
        {
            throw RpcErrors.InvalidArgument("page_text", e.Message);
        }
        if (outcome.Saved.PapersAwaitingLabels > 0)
        {
            labelSweep.RequestSweep();
        }

        var response = new IngestHubPageResponse
        {
            HubId = outcome.Saved.HubId,
            HubCreated = outcome.Saved.HubCreated,
            HubUpdated = outcome.Saved.HubUpdated,
            CitingPapersAdded = outcome.Saved.PapersAdded,
            CitingPapersUpdated = outcome.Saved.PapersUpdated,
            CitingPapersUnchanged = outcome.Saved.PapersUnchanged,
            CitingPapersLabelled = outcome.Saved.PapersLabelled,
            CitingPapersAwaitingLabels = outcome.Saved.PapersAwaitingLabels,
        };
        response.Warnings.AddRange(outcome.Warnings);
        return response;
    }
}
