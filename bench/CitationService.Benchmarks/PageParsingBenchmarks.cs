using BenchmarkDotNet.Attributes;
using CitationService.Bench;
using CitationService.Core.Pages;

namespace CitationService.Benchmarks;

/// <summary>
/// <see cref="HubPageParser.Parse"/> over each seed page the server ingests at start, one stored Pith JSON response,
/// and a generated page of 10,000 papers (seed summaries, numbered; for speed only).
/// </summary>
[MemoryDiagnoser]
public class PageParsingBenchmarks
{
    public const int GeneratedPapers = 10_000;

    [ParamsSource(nameof(Pages))]
    public PageInput Page { get; set; } = null!;

    public static IEnumerable<PageInput> Pages() =>
    [
        .. Directory.EnumerateFiles(Inputs.Repo.SeedsDirectory, "*.txt").Order(StringComparer.Ordinal)
            .Select(path => new PageInput(Path.GetFileName(path), File.ReadAllText(path))),
        new PageInput("json/unknown-0d865a62.citers.json.txt", Inputs.StoredJson("unknown-0d865a62.citers.json.txt")),
        new PageInput("generated, 10,000 papers", Workload.BigHubPage(GeneratedPapers, Workload.SeedSummaries(Inputs.Repo), out _)),
    ];

    [Benchmark]
    public HubPage Parse() => HubPageParser.Parse(Page.Text);
}

/// <summary>A page's text, shown in the results by its name.</summary>
public sealed record PageInput(string Name, string Text)
{
    public override string ToString() => Name;
}
