using System.Globalization;
using System.Text.Json;
using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Storage;

/// <summary>
/// The classification tasks whose labels the store keeps: one row of <c>citing_paper_labels</c> per paper and
/// task, with its source. The schema, the writes, the counts and the sweep's queries serve any task; what is
/// per task is a name here, its row in <see cref="Rows"/>, its join and columns in <see cref="CitingPaperReader"/>
/// (the domain's <c>CitingPaper</c> has a typed property per task), and its model version and source label in
/// two <c>CASE</c> lines of <see cref="SqlCitationStore"/>. A person's correction will be a row with another
/// <c>source</c>.
/// </summary>
internal static class LabelTasks
{
    public const string Role = "role";
    public const string Polarity = "polarity";

    /// <summary>The source of a label a model computed; its version is the model's.</summary>
    public const string ModelSource = "model";

    /// <summary>The rows of <paramref name="labels"/>, one per task, of the paper whose key is <paramref name="paperKey"/>.</summary>
    public static LabelRow[] Rows(long paperKey, PaperLabels labels) =>
    [
        Row(paperKey, Role, labels.Role, labels.Source),
        Row(paperKey, Polarity, labels.Polarity, labels.Source),
    ];

    private static LabelRow Row<T>(long paperKey, string task, LabelPrediction<T> prediction, LabelSource input)
        where T : struct, Enum => new()
    {
        PaperKey = paperKey,
        Task = task,
        Label = Convert.ToInt64(prediction.Label, CultureInfo.InvariantCulture),
        Confidence = prediction.Confidence,
        Probabilities = SerializeProbabilities(prediction.Probabilities),
        Source = ModelSource,
        SourceVersion = prediction.ModelVersion,
        Input = (long)input,
    };

    private static string SerializeProbabilities<T>(IReadOnlyDictionary<T, float> probabilities)
        where T : struct, Enum
    {
        // Keyed by label name, in label order, so the text is stable and readable.
        var byName = new Dictionary<string, float>();
        foreach (var (label, probability) in probabilities.OrderBy(p => p.Key))
        {
            byName[label.ToString()] = probability;
        }
        return JsonSerializer.Serialize(byName);
    }
}
