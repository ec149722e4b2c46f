using CitationService.Core.Pages;
using CitationService.Core.Storage;

namespace CitationService.Core.Ingestion;

/// <summary>
/// The data's path for one page: parse it and store it. New or changed citing papers are left for
/// <see cref="Classification.StoredPaperClassifier"/>, which callers run next.
/// </summary>
public sealed class HubPageIngestor(ICitationStore store, TimeProvider time)
{
    /// <summary>Parses and stores one page in one transaction.</summary>
    /// <exception cref="HubPageFormatException">The text is not a hub page; nothing was stored.</exception>
    public async Task<IngestOutcome> IngestAsync(string pageText, string sourceUrl, CancellationToken cancellationToken)
    {
        var page = HubPageParser.Parse(pageText);
        var saved = await store.SaveHubPageAsync(page, sourceUrl.Trim(), time.GetUtcNow(), cancellationToken);
        return new IngestOutcome(saved, page.Warnings);
    }
}

/// <summary>What ingesting one page did.</summary>
public sealed record IngestOutcome(PageSaveResult Saved, IReadOnlyList<string> Warnings);
