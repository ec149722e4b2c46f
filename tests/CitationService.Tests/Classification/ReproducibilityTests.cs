using CitationService.Classification.Runtime;
using CitationService.Classification.Training;

namespace CitationService.Tests.Classification;

public class ReproducibilityTests
{
    /// <summary>
    /// `citations train` reproduces the committed production models: same versions, same test figures, and
    /// the committed zips give the retrained models' probabilities on texts of every test split (a swapped or
    /// stale zip beside an unchanged metrics.json fails here).
    /// </summary>
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
            var texts = new[] { set.SciCite, set.AclArc, set.Act, set.Athar }
                .SelectMany(corpus => corpus.Test.Where((_, i) => i % 25 == 0).Select(row => row.Text)).ToList();
            AssertSamePredictions(TrainingRunner.RoleFile, committed.Production["role"].Biases, dir, texts);
            AssertSamePredictions(TrainingRunner.PolarityFile, committed.Production["polarity"].Biases, dir, texts);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void AssertSamePredictions(string file, IReadOnlyDictionary<string, float> biases, string retrainedDir, IReadOnlyList<string> texts)
    {
        var committed = TextModel.Load(Path.Combine(RepositoryPaths.Models, file), biases);
        var retrained = TextModel.Load(Path.Combine(retrainedDir, file), biases);
        Assert.True(texts.Count > 100, $"only {texts.Count} test texts");
        foreach (var text in texts)
        {
            var expected = retrained.Predict(text);
            var actual = committed.Predict(text);
            Assert.Equal(expected.Label, actual.Label);
            foreach (var (label, probability) in expected.Probabilities)
            {
                // Tolerance: ML.NET's float arithmetic, not a model difference (a different model moves them by far more).
                Assert.Equal(probability, actual.Probabilities[label], 1e-4);
            }
        }
    }
}
