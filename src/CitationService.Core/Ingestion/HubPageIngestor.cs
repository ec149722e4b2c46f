using CitationService.Core.Classification;
using CitationService.Core.Pages;
using CitationService.Core.Storage;

namespace CitationService.Core.Ingestion;

/// <summary>The data's path for one page: parse it, store it, classify what it added or changed.</summary>
public sealed class HubPageIngestor(ICitationStore store, StoredPaperClassifier classifier, TimeProvider time)
{
    /// <summary>Parses and stores one page, then classifies its new or changed citing papers.</summary>
    /// <exception cref="HubPageFormatException">The text is not a hub page; nothing was stored.</exception>
    public async Task<IngestOutcome> IngestAsync(string pageText, string sourceUrl, CancellationToken cancellationToken)
    {
        var page = HubPageParser.Parse(pageText);
        var saved = await store.SaveHubPageAsync(page, sourceUrl.Trim(), time.GetUtcNow(), cancellationToken);
        await classifier.ClassifyPendingAsync(cancellationToken);
        return new IngestOutcome(saved, page.Warnings);
    }
}

/// <summary>What ingesting one page did.</summary>
public sealed record IngestOutcome(PageSaveResult Saved, IReadOnlyList<string> Warnings);
