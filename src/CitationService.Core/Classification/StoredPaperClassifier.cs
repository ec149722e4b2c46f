using CitationService.Core.Model;
using CitationService.Core.Storage;

namespace CitationService.Core.Classification;

/// <summary>
/// Keeps stored classifications current: classifies every citing paper that has a summary and no
/// classification from the loaded models' versions (new papers, changed summaries, a changed hub, a new
/// model), each summary read together with its hub.
/// </summary>
public sealed class StoredPaperClassifier(ICitationStore store, ICitationClassifier classifier)
{
    private const int BatchSize = 512;

    /// <summary>Classifies pending papers in batches, each stored in one transaction. Returns how many.</summary>
    public async Task<int> ClassifyPendingAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        string? previousFirstId = null;
        while (true)
        {
            var batch = await store.GetPapersToClassifyAsync(
                classifier.RoleModelVersion, classifier.PolarityModelVersion, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }
            // A batch that comes back means the store did not record the versions it was given.
            if (batch[0].Id == previousFirstId)
            {
                throw new InvalidOperationException($"Citing paper {batch[0].Id} is still pending after its classification was saved.");
            }
            previousFirstId = batch[0].Id;

            var hubs = await LoadHubsAsync(batch, cancellationToken);
            var classifications = batch
                .Select(paper =>
                {
                    var text = CitationText.Summary(paper.Summary!, hubs[paper.HubId]);
                    return new PaperClassification(paper.Id, classifier.ClassifyRole(text), classifier.ClassifyPolarity(text));
                })
                .ToList();
            await store.SaveClassificationsAsync(classifications, cancellationToken);
            total += classifications.Count;
        }
    }

    /// <summary>The hub of every paper in <paramref name="batch"/>, each read once, as the summary models read it.</summary>
    private async Task<Dictionary<string, HubText>> LoadHubsAsync(IReadOnlyList<CitingPaper> batch, CancellationToken cancellationToken)
    {
        var hubs = new Dictionary<string, HubText>(StringComparer.Ordinal);
        foreach (var hubId in batch.Select(paper => paper.HubId).Distinct(StringComparer.Ordinal))
        {
            // A citing paper cannot outlive its hub (a foreign key), so a missing hub means a broken store.
            var hub = await store.GetHubAsync(new HubLookup(HubId: hubId), cancellationToken)
                ?? throw new InvalidOperationException($"Hub {hubId} of a citing paper to classify is not stored.");
            hubs.Add(hubId, HubText.From(hub));
        }
        return hubs;
    }
}
