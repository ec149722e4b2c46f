using CitationService.Core.Storage;

namespace CitationService.Core.Classification;

/// <summary>
/// Keeps stored classifications current: classifies every citing paper that has a summary and no
/// classification from the loaded models' versions (new papers, changed summaries, a new model).
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

            var classifications = batch
                .Select(paper => new PaperClassification(
                    paper.Id,
                    classifier.ClassifyRole(CitationText.Summary(paper.Summary!, HubText.None)),
                    classifier.ClassifyPolarity(CitationText.Summary(paper.Summary!, HubText.None))))
                .ToList();
            await store.SaveClassificationsAsync(classifications, cancellationToken);
            total += classifications.Count;
        }
    }
}
