using System.Text.Json;
using System.Text.Json.Serialization;

namespace CitationService.Classification.Runtime;

/// <summary>How a served model scored on one held-out test split.</summary>
public sealed record TestFigure
{
    public required string Corpus { get; init; }
    public int Examples { get; init; }
    public double MacroF1 { get; init; }
    public double Accuracy { get; init; }
    /// <summary>Expected calibration error of the top label (10 bins); null where not measured.</summary>
    public double? Ece { get; init; }
}

/// <summary>One model the service runs: which task and kind of text it answers, its file and what applies at prediction time.</summary>
public sealed record ServedModel
{
    /// <summary>"role" or "polarity".</summary>
    public required string Task { get; init; }
    /// <summary>"summary" (hub-aware linear model over <see cref="SummaryFeaturizer"/>) or "citation_sentence" (n-gram text model).</summary>
    public required string TextKind { get; init; }
    /// <summary>Zip path relative to the models folder.</summary>
    public required string File { get; init; }
    public required string Version { get; init; }
    /// <summary>The label of each score slot, in slot order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>Per-class biases added to the log-probabilities (tuned for macro-F1 without the test split).</summary>
    public Dictionary<string, float> Biases { get; init; } = [];
    /// <summary>Calibration temperature (summary models; 1 = none).</summary>
    public float Temperature { get; init; } = 1f;
    public IReadOnlyList<TestFigure> Test { get; init; } = [];
}

/// <summary>
/// <c>models/manifest.json</c>: everything the runtime needs besides the zips. Written by <c>citations train</c>;
/// the server reads this file and the zips only, never the training report.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";

    public IReadOnlyList<ServedModel> Models { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="InvalidDataException">The file is empty or lacks a model for a task and kind.</exception>
    public static ModelManifest Load(string path)
    {
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
        foreach (var task in new[] { "role", "polarity" })
        {
            foreach (var kind in new[] { "summary", "citation_sentence" })
            {
                _ = manifest.Find(task, kind) ?? throw new InvalidDataException($"{path} has no {kind} model for {task}. Run `citations train`.");
            }
        }
        return manifest;
    }

    public ServedModel? Find(string task, string textKind) =>
        Models.FirstOrDefault(m => m.Task == task && m.TextKind == textKind);

    public void Save(string path) => System.IO.File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
}
