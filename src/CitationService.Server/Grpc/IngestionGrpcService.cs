using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using CitationService.Core.Ingestion;
using CitationService.Core.Pages;
using Grpc.Core;

namespace CitationService.Server.Grpc;

/// <summary>citations.v1.IngestionService: hub pages in, through the parser, into the store.</summary>
public sealed class IngestionGrpcService(HubPageIngestor ingestor, StoredPaperClassifier paperClassifier) : IngestionService.IngestionServiceBase
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
        await paperClassifier.ClassifyPendingAsync(context.CancellationToken);

        var response = new IngestHubPageResponse
        {
            HubId = outcome.Saved.HubId,
            HubCreated = outcome.Saved.HubCreated,
            HubUpdated = outcome.Saved.HubUpdated,
            CitingPapersAdded = outcome.Saved.PapersAdded,
            CitingPapersUpdated = outcome.Saved.PapersUpdated,
            CitingPapersUnchanged = outcome.Saved.PapersUnchanged,
        };
        response.Warnings.AddRange(outcome.Warnings);
        return response;
    }
}
