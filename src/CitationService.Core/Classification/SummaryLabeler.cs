using CitationService.Core.Model;

namespace CitationService.Core.Classification;

/// <summary>
/// Labels the summaries of one hub's citing papers. The store calls it inside the transaction that writes
/// the rows, so a stored label always belongs to the stored summary and hub.
/// </summary>
public interface ISummaryLabeler
{
    /// <summary>Version a current role label read from the summary alone carries: the summary model's.</summary>
    string RoleModelVersion { get; }

    /// <summary>Version a current polarity label read from the summary alone carries: the summary model's.</summary>
    string PolarityModelVersion { get; }

    /// <summary>
    /// Version a current role label read from the summary and the citation context carries: the summary
    /// model's and the citation-sentence model's (<see cref="SummaryLabeler.CombinedVersion"/>), so a new model of
    /// either kind makes it stale.
    /// </summary>
    string RoleWithContextVersion { get; }

    /// <summary>Version a current polarity label read from the summary and the citation context carries.</summary>
    string PolarityWithContextVersion { get; }

    /// <summary>
    /// Role and polarity of each of <paramref name="papers"/>, in order: from its summary read with
    /// <paramref name="hub"/>, and where it has a citation context, from that context too.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; nothing is returned.</exception>
    IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken);
}

/// <summary>What the labeler reads of one citing paper: its one-line summary and, where the source gives one, its citation context.</summary>
public sealed record PaperText(string Summary, string? Context = null)
{
    /// <summary>The texts its labels are computed from: the summary, and the context when there is one.</summary>
    public LabelSource Source => string.IsNullOrWhiteSpace(Context) ? LabelSource.Summary : LabelSource.SummaryAndCitationContext;
}

/// <summary>Which texts of a paper its labels were computed from.</summary>
public enum LabelSource
{
    /// <summary>The one-line summary, read with its hub, by the summary models.</summary>
    Summary = 0,
    /// <summary>The summary (summary models) and the citation context (citation-sentence models), their probabilities averaged.</summary>
    SummaryAndCitationContext = 1,
}

/// <summary>What the models say of one citing paper, and from which of its texts.</summary>
public sealed record PaperLabels(LabelPrediction<CitationRole> Role, LabelPrediction<CitationPolarity> Polarity, LabelSource Source = LabelSource.Summary);

/// <summary>
/// <see cref="ISummaryLabeler"/> over the loaded models, spread over the cores for large pages. A paper with a
/// citation context gets the mean of the summary model's and the citation-sentence model's probabilities
/// (a label one model lacks counts 0 there), labelled with both models' versions.
/// </summary>
public sealed class SummaryLabeler(ICitationClassifier classifier) : ISummaryLabeler
{
    // Below this many summaries one thread is faster than handing out work; above it, chunks of this size
    // keep the cancellation checks frequent and the cores busy.
    private const int ChunkSize = 1024;

    public string RoleModelVersion => classifier.RoleModelVersion;

    public string PolarityModelVersion => classifier.PolarityModelVersion;

    public string RoleWithContextVersion => CombinedVersion(classifier.RoleModelVersion, classifier.RoleSentenceModelVersion);

    public string PolarityWithContextVersion => CombinedVersion(classifier.PolarityModelVersion, classifier.PolaritySentenceModelVersion);

    /// <summary>The version of a label two models computed together: "first+second".</summary>
    public static string CombinedVersion(string first, string second) => $"{first}+{second}";

    public IReadOnlyList<PaperLabels> Label(HubText hub, IReadOnlyList<PaperText> papers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(papers);
        var labels = new PaperLabels[papers.Count];
        var chunks = (papers.Count + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
        {
            var end = Math.Min(papers.Count, (chunk + 1) * ChunkSize);
            for (var i = chunk * ChunkSize; i < end; i++)
            {
                labels[i] = Label(hub, papers[i]);
            }
        });
        return labels;
    }

    private PaperLabels Label(HubText hub, PaperText paper)
    {
        var summary = CitationText.Summary(paper.Summary, hub);
        var role = classifier.ClassifyRole(summary);
        var polarity = classifier.ClassifyPolarity(summary);
        if (paper.Source == LabelSource.Summary)
        {
            return new PaperLabels(role, polarity);
        }
        var context = CitationText.Sentence(paper.Context!);
        return new PaperLabels(
            Mean(role, classifier.ClassifyRole(context)), Mean(polarity, classifier.ClassifyPolarity(context)), LabelSource.SummaryAndCitationContext);
    }

    /// <summary>The mean of two predictions' probabilities, labelled with both versions (<see cref="CombinedVersion"/>); ties go to the lower label.</summary>
    public static LabelPrediction<T> Mean<T>(LabelPrediction<T> first, LabelPrediction<T> second)
        where T : struct, Enum
    {
        var probabilities = new Dictionary<T, float>();
        foreach (var label in first.Probabilities.Keys.Union(second.Probabilities.Keys).Order())
        {
            probabilities[label] = (first.Probabilities.GetValueOrDefault(label) + second.Probabilities.GetValueOrDefault(label)) / 2;
        }
        var best = probabilities.First();
        foreach (var entry in probabilities)
        {
            if (entry.Value > best.Value)
            {
                best = entry;
            }
        }
        return new LabelPrediction<T>(best.Key, best.Value, probabilities, CombinedVersion(first.ModelVersion, second.ModelVersion));
    }
}
