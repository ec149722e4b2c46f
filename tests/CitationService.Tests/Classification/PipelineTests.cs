using CitationService.Classification.Data;
using CitationService.Classification.Runtime;
using CitationService.Classification.Training;

namespace CitationService.Tests.Classification;

public class PipelineTests
{
    /// <summary>200 SciCite train rows, every 36th prepared row: a fixed, deterministic sample.</summary>
    private static List<LabeledText> Sample()
    {
        var scicite = Corpora.LoadSciCite(RepositoryPaths.Data);
        return [.. scicite.Train.Where((_, i) => i % 36 == 0).Take(200)];
    }

    [Fact]
    public void Training_twice_gives_identical_probabilities_and_it_learns()
    {
        var sample = Sample();
        Assert.Equal(200, sample.Count);
        var config = new PipelineConfig { MaxIterations = 50 };
        var a = ModelTrainer.Train("test", config, Corpora.SciCiteLabels, sample, sample, null);
        var b = ModelTrainer.Train("test", config, Corpora.SciCiteLabels, sample, sample, null);

        var texts = sample.Select(r => r.Text).ToList();
        var pa = a.Model.PredictCleanedBatch(texts);
        var pb = b.Model.PredictCleanedBatch(texts);
        Assert.Equal(a.Version, b.Version);
        for (var i = 0; i < pa.Length; i++)
        {
            Assert.Equal(pa[i], pb[i]);
        }

        // It learns: accuracy on its own training sample well above chance (1/3).
        var correct = sample.Where((r, i) => a.Model.Labels[TextModel.ArgMax(pa[i])] == r.Label).Count();
        Assert.True(correct / (double)sample.Count > 0.8, $"training accuracy {correct}/{sample.Count}");
    }

    [Fact]
    public void Version_depends_on_data_and_config()
    {
        var sample = Sample();
        var config = new PipelineConfig();
        var v1 = ModelTrainer.ComputeVersion("role", config, Corpora.SciCiteLabels, sample, sample);
        var v2 = ModelTrainer.ComputeVersion("role", config with { L2 = 0.5f }, Corpora.SciCiteLabels, sample, sample);
        var v3 = ModelTrainer.ComputeVersion("role", config, Corpora.SciCiteLabels, sample.Skip(1).ToList(), sample);
        Assert.Matches("^role-[0-9a-f]{12}$", v1);
        Assert.Equal(v1, ModelTrainer.ComputeVersion("role", config, Corpora.SciCiteLabels, sample, sample));
        Assert.NotEqual(v1, v2);
        Assert.NotEqual(v1, v3);
    }

    [Fact]
    public void Grouped_athar_split_keeps_citing_papers_together()
    {
        var athar = Corpora.LoadAthar(RepositoryPaths.Data);
        var train = athar.Train.Select(r => r.Group).ToHashSet();
        var dev = athar.Dev.Select(r => r.Group).ToHashSet();
        var test = athar.Test.Select(r => r.Group).ToHashSet();
        Assert.Empty(train.Intersect(test));
        Assert.Empty(train.Intersect(dev));
        Assert.Empty(dev.Intersect(test));
        var testTexts = athar.Test.Select(r => r.Text).ToHashSet();
        Assert.DoesNotContain(athar.Train, r => testTexts.Contains(r.Text));
        Assert.Equal(athar.Train.Count, athar.Train.Select(r => r.Text).Distinct().Count());
    }

    [Fact]
    public void Benchmark_train_is_the_official_split_and_unseen_test_rows_are_not_in_it()
    {
        var acl = Corpora.LoadAclArc(RepositoryPaths.Data);
        var testTexts = acl.Test.Select(r => r.Text).ToHashSet();
        var officialTexts = acl.OfficialTrain.Select(r => r.Text).ToHashSet();

        // Official protocol keeps train texts that also occur in test; the production protocol drops them.
        Assert.Contains(acl.OfficialTrain, r => testTexts.Contains(r.Text));
        Assert.DoesNotContain(acl.Train, r => testTexts.Contains(r.Text));
        Assert.Equal(acl.OfficialTrain.Count, officialTexts.Count);
        Assert.Same(acl.OfficialTrain, TrainingRunner.BenchmarkTrain(new CorpusSet(acl, acl, acl, acl), Corpora.AclArc));

        var unseen = TrainingRunner.Unseen(acl.Test, acl.OfficialTrain);
        Assert.DoesNotContain(unseen, r => officialTexts.Contains(r.Text));
        Assert.Equal(acl.Report.Test - acl.Report.TestInOfficialTrain, unseen.Count);
        Assert.True(unseen.Count < acl.Test.Count);
    }

    [Fact]
    public void Bias_adjustment_keeps_a_distribution()
    {
        var p = TextModel.ApplyBias([0.7f, 0.2f, 0.1f], [0f, 1f, 2f]);
        Assert.Equal(1f, p.Sum(), 3);
        Assert.Equal(2, TextModel.ArgMax(p));
    }
}
