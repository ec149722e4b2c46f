using System.Collections.Concurrent;
using System.Collections.Frozen;
using CitationService.Classification.Runtime;
using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Classification;

/// <summary>
/// <see cref="ICitationClassifier"/> backed by the models a models folder serves (<c>manifest.json</c> and its zips):
/// hub-aware linear models for summaries, n-gram text models for citation sentences. Thread-safe. A hub is read
/// once and kept (a bounded cache), so classifying a hub's papers featurises its abstract once.
/// </summary>
public sealed class ModelCitationClassifier : ICitationClassifier
{
    private const int MaxCachedHubs = 4096;

    private readonly SummaryModel _summaryRole;
    private readonly SummaryModel _summaryPolarity;
    private readonly SentenceModel _sentenceRole;
    private readonly SentenceModel _sentencePolarity;
    private readonly ConcurrentDictionary<HubText, SummaryFeaturizer.Hub> _hubs = new();

    private ModelCitationClassifier(ModelManifest manifest, SummaryModel summaryRole, SummaryModel summaryPolarity, SentenceModel sentenceRole, SentenceModel sentencePolarity)
    {
        Manifest = manifest;
        _summaryRole = summaryRole;
        _summaryPolarity = summaryPolarity;
        _sentenceRole = sentenceRole;
        _sentencePolarity = sentencePolarity;
    }

    /// <summary>The served models: versions, labels, test figures.</summary>
    public ModelManifest Manifest { get; }

    public string RoleModelVersion => _summaryRole.Entry.Version;

    public string PolarityModelVersion => _summaryPolarity.Entry.Version;

    public string RoleSentenceModelVersion => _sentenceRole.Entry.Version;

    public string PolaritySentenceModelVersion => _sentencePolarity.Entry.Version;

    /// <summary>Loads every model <c>manifest.json</c> in <paramref name="modelsDirectory"/> lists.</summary>
    /// <exception cref="FileNotFoundException">The manifest or a model file is missing; the message names the path.</exception>
    public static ModelCitationClassifier Load(string modelsDirectory)
    {
        var dir = Path.GetFullPath(modelsDirectory);
        var manifestPath = Path.Combine(dir, ModelManifest.FileName);
        Require(manifestPath);
        var manifest = ModelManifest.Load(manifestPath);
        foreach (var model in manifest.Models)
        {
            Require(Path.Combine(dir, model.File));
        }
        SummaryModel? summaryRole = null, summaryPolarity = null;
        SentenceModel? sentenceRole = null, sentencePolarity = null;
        // The zips are independent: load them in parallel. One prediction each compiles the prediction path,
        // so the first request does not pay for it.
        Parallel.Invoke(
            () => summaryRole = SummaryModel.Load(dir, manifest.Find("role", "summary")!),
            () => summaryPolarity = SummaryModel.Load(dir, manifest.Find("polarity", "summary")!),
            () => sentenceRole = SentenceModel.Load(dir, manifest.Find("role", "citation_sentence")!),
            () => sentencePolarity = SentenceModel.Load(dir, manifest.Find("polarity", "citation_sentence")!));
        var classifier = new ModelCitationClassifier(manifest, summaryRole!, summaryPolarity!, sentenceRole!, sentencePolarity!);
        classifier.ClassifyRole(CitationText.Summary("warm-up", HubText.None));
        classifier.ClassifyPolarity(CitationText.Summary("warm-up", HubText.None));
        return classifier;
    }

    public LabelPrediction<CitationRole> ClassifyRole(CitationText text) => Classify<CitationRole>(text, _summaryRole, _sentenceRole);

    public LabelPrediction<CitationPolarity> ClassifyPolarity(CitationText text) => Classify<CitationPolarity>(text, _summaryPolarity, _sentencePolarity);

    private LabelPrediction<T> Classify<T>(CitationText text, SummaryModel summary, SentenceModel sentence)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Kind == TextKind.CitationSentence)
        {
            var p = sentence.Model.Predict(text.Text);
            return ToPrediction<T>(sentence.Model.Labels, [.. sentence.Model.Labels.Select(l => p.Probabilities[l])], sentence.Entry.Version);
        }
        var (indices, values) = Features(text);
        return ToPrediction<T>(summary.Entry.Labels, summary.Model.Probabilities(indices, values), summary.Entry.Version);
    }

    // Callers ask for role and polarity of the same text one after the other: the second call reuses the
    // vector of the first (same CitationText instance on the same thread). The vector depends on the text alone.
    [ThreadStatic]
    private static CitationText? t_lastText;

    [ThreadStatic]
    private static (int[] Indices, float[] Values) t_lastFeatures;

    private (int[] Indices, float[] Values) Features(CitationText text)
    {
        if (!ReferenceEquals(t_lastText, text))
        {
            t_lastFeatures = SummaryFeaturizer.Featurize(text.Text, ReadHub(text.Hub));
            t_lastText = text;
        }
        return t_lastFeatures;
    }

    private SummaryFeaturizer.Hub ReadHub(HubText hub)
    {
        if (_hubs.TryGetValue(hub, out var read))
        {
            return read;
        }
        if (_hubs.Count >= MaxCachedHubs)
        {
            _hubs.Clear();
        }
        return _hubs.GetOrAdd(hub, SummaryFeaturizer.ReadHub);
    }

    private static LabelPrediction<T> ToPrediction<T>(IReadOnlyList<string> labels, float[] probabilities, string version)
        where T : struct, Enum
    {
        var best = TextModel.ArgMax(probabilities);
        var dict = new Dictionary<T, float>(labels.Count);
        for (var i = 0; i < labels.Count; i++)
        {
            dict[Enum.Parse<T>(labels[i], ignoreCase: true)] = probabilities[i];
        }
        return new LabelPrediction<T>(Enum.Parse<T>(labels[best], ignoreCase: true), probabilities[best], dict.ToFrozenDictionary(), version);
    }

    private static void Require(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Classifier model file '{path}' is missing. Run `citations train` (dotnet run --project src/CitationService.Cli -- train) from the repository root to create it, or point Classification:ModelsDirectory at a folder that has it.",
                path);
        }
    }

    private sealed record SummaryModel(ServedModel Entry, LinearModel Model)
    {
        public static SummaryModel Load(string dir, ServedModel entry) =>
            new(entry, LinearModel.Load(Path.Combine(dir, entry.File), [.. entry.Labels.Select(l => entry.Biases.GetValueOrDefault(l))], entry.Temperature));
    }

    private sealed record SentenceModel(ServedModel Entry, TextModel Model)
    {
        public static SentenceModel Load(string dir, ServedModel entry)
        {
            var model = TextModel.Load(Path.Combine(dir, entry.File), entry.Biases);
            model.Predict("warm-up");
            return new SentenceModel(entry, model);
        }
    }
}
