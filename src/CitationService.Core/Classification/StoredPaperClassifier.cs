using CitationService.Core.Storage;

namespace CitationService.Core.Classification;

/// <summary>
/// Labels the stored papers no ingest labelled: papers whose hub's text changed while the page did not show
/// them, and papers labelled by another model version. Works in bounded batches; a label is written only if
/// no ingest touched its paper since the batch was read.
/// </summary>
public sealed class StoredPaperClassifier(ICitationStore store, ISummaryLabeler labeler)
{
    private const int BatchSize = 512;

    /// <summary>Labels every paper awaiting labels. Returns how many labels were written.</summary>
    public async Task<int> LabelAwaitingAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        PaperToLabel? previousFirst = null;
        while (true)
        {
            var batch = await store.GetPapersAwaitingLabelsAsync(BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }
            // The same first paper at the same revision means the store did not record the labels it was given.
            if (batch[0] == previousFirst)
            {
                throw new InvalidOperationException($"Citing paper {batch[0].Id} still awaits labels after they were saved.");
            }
            previousFirst = batch[0];
            total += await LabelAsync(batch, cancellationToken);
        }
    }

    /// <summary>Relabels papers labelled by other model versions in one pass. Returns how many labels were written.</summary>
    public async Task<int> RelabelOtherModelsAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var after = "";
        while (true)
        {
            var batch = await store.GetPapersLabelledByOtherModelsAsync(labeler, after, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }
            total += await LabelAsync(batch, cancellationToken);
            after = batch[^1].Id;
        }
    }

    private async Task<int> LabelAsync(IReadOnlyList<PaperToLabel> batch, CancellationToken cancellationToken)
    {
        var classifications = new List<PaperClassification>(batch.Count);
        foreach (var hubPapers in batch.GroupBy(paper => paper.Hub))
        {
            var papers = hubPapers.ToList();
            var labels = labeler.Label(hubPapers.Key, papers.ConvertAll(paper => new PaperText(paper.Summary, paper.Context)), cancellationToken);
            classifications.AddRange(papers.Select((paper, i) => new PaperClassification(paper.Id, paper.Revision, labels[i])));
        }
        return await store.SaveClassificationsAsync(classifications, cancellationToken);
    }
}
