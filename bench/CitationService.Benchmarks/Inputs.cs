using CitationService.Bench;
using CitationService.Cli.Ingest;
using CitationService.Classification;
using CitationService.Core.Classification;

namespace CitationService.Benchmarks;

/// <summary>The repository's inputs: seed pages and the shipped models.</summary>
internal static class Inputs
{
    /// <summary>The repository above the benchmark binaries (BenchmarkDotNet runs them from a folder under bin/).</summary>
    public static RepoLayout Repo { get; } = RepoLayout.Find(typeof(Server.Grpc.ContractMapping).Assembly.Location);

    /// <summary>A file under <c>seeds/</c>, by its path relative to it.</summary>
    public static string Seed(string relativePath) => File.ReadAllText(Path.Combine(Repo.SeedsDirectory, relativePath));

    /// <summary>
    /// A stored response of <c>seeds/json/</c> without its <c>url:</c> and <c>-----chunk-----</c> header lines: the
    /// document <c>citations ingest</c> sends.
    /// </summary>
    public static string StoredJson(string name) =>
        StoredCopy.TryStrip(Seed(Path.Combine("json", name)), out _, out var document)
            ? document
            : throw new InvalidDataException($"seeds/json/{name} has no url: and -----chunk----- header");

    /// <summary>The labeler the server runs, over the shipped models.</summary>
    public static SummaryLabeler LoadLabeler() => new(ModelCitationClassifier.Load(Repo.ModelsDirectory));
}
