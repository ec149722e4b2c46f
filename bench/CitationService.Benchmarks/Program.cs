using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CitationService.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/CitationService.Benchmarks -- --filter '*'</c> runs every benchmark;
/// <c>--filter '*PageParsing*'</c> one class. One short job (1 launch, 3 warm-up and 3 measured iterations), so a
/// whole run takes a few minutes on the 2-core machine. Reports go under the build output (bin/ is not committed).
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
