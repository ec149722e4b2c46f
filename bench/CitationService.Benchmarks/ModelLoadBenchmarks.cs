using BenchmarkDotNet.Attributes;
using CitationService.Classification;

namespace CitationService.Benchmarks;

/// <summary>
/// <see cref="ModelCitationClassifier.Load"/> of the shipped models (manifest and four zips, loaded in parallel, one
/// warm-up prediction each), as the server does once at start-up. The files are in the OS cache after the first load.
/// </summary>
[MemoryDiagnoser]
public class ModelLoadBenchmarks
{
    [Benchmark(Description = "Load models/")]
    public ModelCitationClassifier Load() => ModelCitationClassifier.Load(Inputs.Repo.ModelsDirectory);
}
