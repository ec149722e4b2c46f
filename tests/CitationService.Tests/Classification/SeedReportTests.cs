using CitationService.Classification.Reports;

namespace CitationService.Tests.Classification;

/// <summary>The seed-summary report of `citations evaluate`, run on the committed production models.</summary>
public class SeedReportTests(CommittedModelsFixture fixture) : IClassFixture<CommittedModelsFixture>
{
    [Fact]
    public void Classifies_every_summary_on_the_seed_pages()
    {
        var report = SeedReport.Build(RepositoryPaths.Seeds, fixture.Classifier);

        Assert.Equal(4, report.Files.Count);
        Assert.Equal(33, report.Summaries.Count);
        Assert.Equal(26, report.Files.Single(f => f.File == "000_bb0c471c89efa636.txt").Summaries);
        Assert.Equal(report.Files.Sum(f => f.Summaries), report.Summaries.Count);
        Assert.All(report.Summaries, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Summary));
            Assert.Equal(fixture.Classifier.RoleModelVersion, s.Role.ModelVersion);
            Assert.Equal(fixture.Classifier.PolarityModelVersion, s.Polarity.ModelVersion);
            Assert.InRange(s.Role.Confidence, 0f, 1f);
            Assert.InRange(s.Polarity.Confidence, 0f, 1f);
        });
        Assert.Equal(33, report.RoleCounts.Values.Sum());
        Assert.Equal(33, report.PolarityCounts.Values.Sum());
        Assert.InRange(report.RoleBelowThreshold, 0, 33);
        Assert.InRange(report.PolarityBelowThreshold, 0, 33);
    }

    [Fact]
    public void Printed_report_is_deterministic()
    {
        var first = SeedReport.Build(RepositoryPaths.Seeds, fixture.Classifier).Format();
        var second = SeedReport.Build(RepositoryPaths.Seeds, fixture.Classifier).Format();
        Assert.Equal(first, second);
        Assert.Contains("33 one-line summaries", first);
        Assert.Contains("below threshold 0.50", first);
    }
}
