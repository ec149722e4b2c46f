using CitationService.Classification;
using CitationService.Classification.Training;
using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Tests.Classification;

/// <summary>One load of the committed models shared by the tests in this class.</summary>
public sealed class CommittedModelsFixture
{
    public CommittedModelsFixture()
    {
        Classifier = ModelCitationClassifier.Load(RepositoryPaths.Models);
        Metrics = MetricsFile.Load(Path.Combine(RepositoryPaths.Models, MetricsFile.FileName));
    }

    public ModelCitationClassifier Classifier { get; }

    public MetricsFile Metrics { get; }
}

public class CommittedModelTests(CommittedModelsFixture fixture) : IClassFixture<CommittedModelsFixture>
{
    private static readonly string[] Texts =
    [
        "We use the parser of Collins (1999) to obtain syntactic features.",
        "Our method outperforms the approach of Smith et al. [12] by 3 points.",
        "Unlike #AUTHOR_TAG, we find that the effect disappears in larger samples.",
        "This extends the model of @@CITATION@@ to the multilingual setting.",
        "Word sense disambiguation has a long history (Yarowsky, 1995; Lesk, 1986).",
        "Future work could apply the method of Lee (2003) to other languages.",
        "",
        "   ",
    ];

    [Fact]
    public void Manifest_serves_the_sentence_models_of_metrics_json_and_the_summary_models_of_their_report()
    {
        // The manifest is written from the two training reports; a hand-edited or stale manifest fails here.
        var summary = SummaryMetricsFile.Load(Path.Combine(RepositoryPaths.Models, SummaryMetricsFile.FileName));
        var manifest = fixture.Classifier.Manifest;
        foreach (var task in new[] { "role", "polarity" })
        {
            Assert.Equal(fixture.Metrics.Production[task].Version, manifest.Find(task, "citation_sentence")!.Version);
            Assert.Equal(summary.Models[task].Version, manifest.Find(task, "summary")!.Version);
            Assert.Equal(summary.Models[task].Temperature, manifest.Find(task, "summary")!.Temperature);
        }
        Assert.Equal(summary.Models["role"].Version, fixture.Classifier.RoleModelVersion);
        Assert.Equal(summary.Models["polarity"].Version, fixture.Classifier.PolarityModelVersion);
    }

    [Fact]
    public void Metrics_record_the_training_protocols_and_unseen_test_figures()
    {
        foreach (var name in new[] { "scicite", "acl-arc", "act-3c" })
        {
            var entry = fixture.Metrics.Benchmarks[name];
            Assert.Equal(TrainingRunner.OfficialProtocol, entry.TrainingProtocol);
            Assert.NotNull(entry.TestUnseen);
            Assert.Equal(entry.Data[name].Test - entry.Data[name].TestInOfficialTrain, entry.TestUnseen[name].N);
            Assert.Equal(entry.Data[name].OfficialTrain, entry.TrainRows);
        }
        Assert.True(fixture.Metrics.Benchmarks["acl-arc"].TestUnseen!["acl-arc"].N < fixture.Metrics.Benchmarks["acl-arc"].Test["acl-arc"].N);
        Assert.Equal(fixture.Metrics.Benchmarks["athar"].Test["athar"].N, fixture.Metrics.Benchmarks["athar"].TestUnseen!["athar"].N);
        foreach (var entry in fixture.Metrics.Production.Values)
        {
            Assert.Equal(TrainingRunner.LeakFreeProtocol, entry.TrainingProtocol);
            Assert.Null(entry.TestUnseen);
        }
    }

    [Fact]
    public void Role_probabilities_cover_every_class_and_sum_to_one()
    {
        foreach (var text in Texts)
        {
            var p = fixture.Classifier.ClassifyRole(CitationText.Sentence(text));
            Assert.Equal(
                new[] { CitationRole.Background, CitationRole.Method, CitationRole.Baseline, CitationRole.Extension, CitationRole.Other },
                p.Probabilities.Keys.OrderBy(k => k));
            Assert.Equal(1f, p.Probabilities.Values.Sum(), 3);
            Assert.Equal(p.Probabilities.MaxBy(kv => kv.Value).Key, p.Label);
            Assert.Equal(p.Probabilities[p.Label], p.Confidence);
            Assert.Equal(fixture.Metrics.Production["role"].Version, p.ModelVersion);
        }
    }

    [Fact]
    public void Polarity_probabilities_cover_every_class_and_sum_to_one()
    {
        foreach (var text in Texts)
        {
            var p = fixture.Classifier.ClassifyPolarity(CitationText.Sentence(text));
            Assert.Equal(
                new[] { CitationPolarity.Supporting, CitationPolarity.Neutral, CitationPolarity.Contrasting },
                p.Probabilities.Keys.OrderBy(k => k));
            Assert.Equal(1f, p.Probabilities.Values.Sum(), 3);
            Assert.Equal(p.Probabilities.MaxBy(kv => kv.Value).Key, p.Label);
            Assert.Equal(p.Probabilities[p.Label], p.Confidence);
        }
    }

    [Fact]
    public void Obvious_method_use_is_classified_as_method()
    {
        Assert.Equal(CitationRole.Method, fixture.Classifier.ClassifyRole(CitationText.Sentence(Texts[0])).Label);
    }

    [Fact]
    public async Task Pool_under_concurrency_gives_the_sequential_results()
    {
        var texts = Enumerable.Range(0, 500).Select(i => $"{Texts[i % 6]} variant {i % 17}").ToArray();
        var expected = texts.Select(t => (fixture.Classifier.ClassifyRole(CitationText.Sentence(t)), fixture.Classifier.ClassifyPolarity(CitationText.Sentence(t)))).ToArray();

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            texts.Select(t => (fixture.Classifier.ClassifyRole(CitationText.Sentence(t)), fixture.Classifier.ClassifyPolarity(CitationText.Sentence(t)))).ToArray())).ToArray();
        var results = await Task.WhenAll(tasks);

        foreach (var result in results)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.Equal(expected[i].Item1.Label, result[i].Item1.Label);
                Assert.Equal(expected[i].Item1.Probabilities, result[i].Item1.Probabilities);
                Assert.Equal(expected[i].Item2.Label, result[i].Item2.Label);
                Assert.Equal(expected[i].Item2.Probabilities, result[i].Item2.Probabilities);
            }
        }
    }
}
