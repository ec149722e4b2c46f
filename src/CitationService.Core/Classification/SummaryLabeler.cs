using CitationService.Core.Model;

namespace CitationService.Core.Classification;

/// <summary>
/// Labels the summaries of one hub's citing papers. The store calls it inside the transaction that writes
/// the rows, so a stored label always belongs to the stored summary and hub.
/// </summary>
public interface ISummaryLabeler
{
    /// <summary>Version of the role model whose labels count as current.</summary>
    string RoleModelVersion { get; }

    /// <summary>Version of the polarity model whose labels count as current.</summary>
    string PolarityModelVersion { get; }

    /// <summary>Role and polarity of each of <paramref name="summaries"/>, read with <paramref name="hub"/>, in order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; nothing is returned.</exception>
    IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<string> summaries, CancellationToken cancellationToken);
}

/// <summary>What the models say of one citing paper.</summary>
public sealed record PaperLabels(LabelPrediction<CitationRole> Role, LabelPrediction<CitationPolarity> Polarity);

/// <summary><see cref="ISummaryLabeler"/> over the loaded summary models, spread over the cores for large pages.</summary>
public sealed class SummaryLabeler(ICitationClassifier classifier) : ISummaryLabeler
{
    // Below this many summaries one thread is faster than handing out work; above it, chunks of this size
    // keep the cancellation checks frequent and the cores busy.
    private const int ChunkSize = 1024;

    public string RoleModelVersion => classifier.RoleModelVersion;

    public string PolarityModelVersion => classifier.PolarityModelVersion;

    public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<string> summaries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(summaries);
        var labels = new PaperLabels[summaries.Count];
        var chunks = (summaries.Count + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var end = Math.Min(summaries.Count, (chunk + 1) * ChunkSize);
            for (var i = chunk * ChunkSize; i < end; i++)
            {
                var text = CitationText.Summary(summaries[i], hub);
                labels[i] = new PaperLabels(classifier.ClassifyRole(text), classifier.ClassifyPolarity(text));
            }
        });
        return labels;
    }
}
