using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CitationService.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/CitationService.Benchmarks -- --filter '*'</c> runs every benchmark;
/// <c>--filter '*PageParsing*'</c> one class. One short job (1 launch, 3 warm-up and 3 measured iterations), so a
/// whole run takes a few minutes on the 2-core machine. Reports go under the build output (bin/ is not committed).
/// BenchmarkDotNet builds its generated project (and so the referenced projects) again in Release; on a busy 2-core
/// machine that takes several minutes, past its default limit of 2 minutes. Min and median are shown beside the
/// mean: on a machine shared with other work they are the steadier figures.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun)
            .WithBuildTimeout(TimeSpan.FromMinutes(10))
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
