using System.Text.Json;
using System.Text.Json.Serialization;

namespace CitationService.Classification.Training;

/// <summary>Per-class figures in metrics.json.</summary>
public sealed record ClassSummary(int Support, double Precision, double Recall, double F1);

/// <summary>One evaluation in metrics.json (figures rounded to 4 decimals).</summary>
public sealed record EvalSummary
{
    public int N { get; init; }
    public double MacroF1 { get; init; }
    public double Accuracy { get; init; }
    public IReadOnlyList<string> MacroOver { get; init; } = [];
    public IReadOnlyList<string> Labels { get; init; } = [];
    public Dictionary<string, ClassSummary> PerClass { get; init; } = [];
    public int[][] Confusion { get; init; } = [];

    public static EvalSummary From(EvalResult r) => new()
    {
        N = r.N,
        MacroF1 = Math.Round(r.MacroF1, 4),
        Accuracy = Math.Round(r.Accuracy, 4),
        MacroOver = r.MacroLabels,
        Labels = r.Labels,
        PerClass = r.PerClass.ToDictionary(c => c.Label, c => new ClassSummary(c.Support, Math.Round(c.Precision, 4), Math.Round(c.Recall, 4), Math.Round(c.F1, 4))),
        Confusion = r.Confusion,
    };
}

/// <summary>One model in metrics.json.</summary>
public sealed record ModelEntry
{
    public string Version { get; init; } = "";
    /// <summary>Zip path relative to the models folder.</summary>
    public string File { get; init; } = "";
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>Per-class log-probability biases tuned on dev, applied at prediction time: p'_c ∝ p_c·exp(b_c).</summary>
    public Dictionary<string, float> Biases { get; init; } = [];
    public PipelineConfig Config { get; init; } = new();
    public Dictionary<string, Data.PreparationReport> Data { get; init; } = [];
    public int TrainRows { get; init; }
    public int DevRows { get; init; }
    public EvalSummary? DevWithoutBiases { get; init; }
    public EvalSummary? Dev { get; init; }
    /// <summary>Dev figures per corpus (production models: in the service's labels).</summary>
    public Dictionary<string, EvalSummary> DevByCorpus { get; init; } = [];
    /// <summary>Test figures per corpus (production models: in the service's labels; benchmarks: own label set).</summary>
    public Dictionary<string, EvalSummary> Test { get; init; } = [];
    /// <summary>Benchmarks only: the test rows whose cleaned text is not among the model's training texts.</summary>
    public Dictionary<string, EvalSummary>? TestUnseen { get; init; }
    /// <summary>Which train rows the model saw (benchmark protocol: official train split; production: minus every dev/test text).</summary>
    public string TrainingProtocol { get; init; } = "";
    public string Notes { get; init; } = "";
}

/// <summary>models/metrics.json: versions, training configuration and figures of every model.</summary>
public sealed record MetricsFile
{
    public const string FileName = "metrics.json";

    public string GeneratedBy { get; init; } = "citations train";
    public string MlNetVersion { get; init; } = "";
    public string Preprocessing { get; init; } = "";
    public Dictionary<string, ModelEntry> Production { get; init; } = [];
    public Dictionary<string, ModelEntry> Benchmarks { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static MetricsFile Load(string path) =>
        JsonSerializer.Deserialize<MetricsFile>(File.ReadAllText(path), JsonOptions)
        ?? throw new InvalidDataException($"{path} is empty.");

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
}
