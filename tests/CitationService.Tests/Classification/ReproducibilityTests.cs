using CitationService.Classification.Training;

namespace CitationService.Tests.Classification;

public class ReproducibilityTests
{
    /// <summary>`citations train` reproduces the committed production models: same versions, same test figures.</summary>
    [Fact]
    public void Retraining_the_production_models_reproduces_the_committed_metrics()
    {
        var committed = MetricsFile.Load(Path.Combine(RepositoryPaths.Models, MetricsFile.FileName));
        var dir = Path.Combine(Path.GetTempPath(), "citations-repro-" + Guid.NewGuid().ToString("N"));
        try
        {
            var set = CorpusSet.Load(RepositoryPaths.Data);
            var (role, polarity, _) = TrainingRunner.TrainProduction(set, dir, _ => { });

            Assert.Equal(committed.Production["role"].Version, role.Version);
            Assert.Equal(committed.Production["polarity"].Version, polarity.Version);
            Assert.Equal(committed.Production["role"].Biases, role.Biases);
            Assert.Equal(committed.Production["polarity"].Biases, polarity.Biases);
            foreach (var (corpus, eval) in committed.Production["role"].Test)
            {
                Assert.Equal(eval.MacroF1, role.Test[corpus].MacroF1);
                Assert.Equal(eval.Accuracy, role.Test[corpus].Accuracy);
            }
            Assert.Equal(committed.Production["polarity"].Test["athar"].MacroF1, polarity.Test["athar"].MacroF1);
            Assert.True(File.Exists(Path.Combine(dir, TrainingRunner.RoleFile)));
            Assert.True(File.Exists(Path.Combine(dir, TrainingRunner.PolarityFile)));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
