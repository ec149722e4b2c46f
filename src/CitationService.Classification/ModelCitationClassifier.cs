using System.Collections.Frozen;
using CitationService.Classification.Runtime;
using CitationService.Classification.Training;
using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Classification;

/// <summary>
/// <see cref="ICitationClassifier"/> backed by the ML.NET models in a models folder (role.zip, polarity.zip,
/// metrics.json). Thread-safe: predictions go through pools of prediction engines. Texts are cleaned with
/// <see cref="TextPreprocessor.Clean"/>, exactly as in training; the dev-tuned per-class biases from
/// metrics.json are applied before the argmax.
/// </summary>
public sealed class ModelCitationClassifier : ICitationClassifier
{
    private readonly TextModel _role;
    private readonly TextModel _polarity;
    private readonly CitationRole[] _roleLabels;
    private readonly CitationPolarity[] _polarityLabels;

    public ModelCitationClassifier(TextModel role, string roleVersion, TextModel polarity, string polarityVersion, MetricsFile metrics)
    {
        Metrics = metrics;
        _role = role;
        _polarity = polarity;
        RoleModelVersion = roleVersion;
        PolarityModelVersion = polarityVersion;
        _roleLabels = [.. role.Labels.Select(l => Enum.Parse<CitationRole>(l, ignoreCase: true))];
        _polarityLabels = [.. polarity.Labels.Select(l => Enum.Parse<CitationPolarity>(l, ignoreCase: true))];
    }

    public string RoleModelVersion { get; }

    /// <summary>The models' report: versions, training configuration, dev and test figures.</summary>
    public MetricsFile Metrics { get; }

    public string PolarityModelVersion { get; }

    /// <summary>Loads both models and their versions/biases from <paramref name="modelsDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">A model file or metrics.json is missing; the message names the path.</exception>
    public static ModelCitationClassifier Load(string modelsDirectory)
    {
        var dir = Path.GetFullPath(modelsDirectory);
        var metricsPath = Path.Combine(dir, MetricsFile.FileName);
        var rolePath = Path.Combine(dir, TrainingRunner.RoleFile);
        var polarityPath = Path.Combine(dir, TrainingRunner.PolarityFile);
        foreach (var path in new[] { rolePath, polarityPath, metricsPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"Classifier model file '{path}' is missing. Run `citations train` (dotnet run --project src/CitationService.Cli -- train) from the repository root to create it, or point Classification:ModelsDirectory at a folder that has it.",
                    path);
            }
        }
        var metrics = MetricsFile.Load(metricsPath);
        var roleEntry = Entry(metrics, "role", metricsPath);
        var polarityEntry = Entry(metrics, "polarity", metricsPath);
        ModelCitationClassifier? result = null;
        TextModel? role = null;
        TextModel? polarity = null;
        // The two zips are independent: load them in parallel.
        // One prediction each compiles the prediction path and fills the pool with a first engine, so
        // the first request does not pay for it.
        Parallel.Invoke(
            () => (role = TextModel.Load(rolePath, roleEntry.Biases)).Predict("warm-up"),
            () => (polarity = TextModel.Load(polarityPath, polarityEntry.Biases)).Predict("warm-up"));
        result = new ModelCitationClassifier(role!, roleEntry.Version, polarity!, polarityEntry.Version, metrics);
        return result;
    }

    public LabelPrediction<CitationRole> ClassifyRole(CitationText text)
    {
        var p = _role.Predict(text.Text);
        return new LabelPrediction<CitationRole>(
            Enum.Parse<CitationRole>(p.Label, ignoreCase: true),
            p.Confidence,
            Map(p, _role.Labels, _roleLabels),
            RoleModelVersion);
    }

    public LabelPrediction<CitationPolarity> ClassifyPolarity(CitationText text)
    {
        var p = _polarity.Predict(text.Text);
        return new LabelPrediction<CitationPolarity>(
            Enum.Parse<CitationPolarity>(p.Label, ignoreCase: true),
            p.Confidence,
            Map(p, _polarity.Labels, _polarityLabels),
            PolarityModelVersion);
    }

    private static FrozenDictionary<T, float> Map<T>(TextPrediction p, IReadOnlyList<string> labels, T[] values)
        where T : struct, Enum
    {
        var dict = new Dictionary<T, float>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            dict[values[i]] = p.Probabilities[labels[i]];
        }
        return dict.ToFrozenDictionary();
    }

    private static ModelEntry Entry(MetricsFile metrics, string name, string path)
    {
        if (!metrics.Production.TryGetValue(name, out var entry) || string.IsNullOrWhiteSpace(entry.Version))
        {
            throw new InvalidDataException($"{path} has no production '{name}' model entry with a version. Run `citations train`.");
        }
        return entry;
    }
}
