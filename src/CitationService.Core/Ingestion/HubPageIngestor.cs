using CitationService.Core.Classification;
using CitationService.Core.Pages;
using CitationService.Core.Storage;

namespace CitationService.Core.Ingestion;

/// <summary>
/// The data's path for one page: parse it, then store it with the labels of its new and changed summaries
/// in one transaction.
/// </summary>
public sealed class HubPageIngestor(ICitationStore store, ISummaryLabeler labeler, TimeProvider time)
{
    /// <summary>Parses and stores one page in one transaction.</summary>
    /// <exception cref="HubPageFormatException">The text is not a hub page; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit; nothing was stored.</exception>
    public async Task<IngestOutcome> IngestAsync(string pageText, string sourceUrl, CancellationToken cancellationToken)
    {
        var page = HubPageParser.Parse(pageText);
        if (page.SourceId.Length > 0 && Model.PithAddress.TryParse(sourceUrl) is { } address
            && !address.HubUuid.Equals(page.SourceId, StringComparison.OrdinalIgnoreCase))
        {
            throw new HubPageFormatException($"the document is Pith work {page.SourceId}, but its source_url names hub {address.HubUuid}");
        }
        var saved = await store.SaveHubPageAsync(page, sourceUrl.Trim(), time.GetUtcNow(), labeler, cancellationToken);
        return new IngestOutcome(saved, page.Warnings);
    }
}

/// <summary>What ingesting one page did.</summary>
public sealed record IngestOutcome(PageSaveResult Saved, IReadOnlyList<string> Warnings);
