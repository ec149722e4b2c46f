using CitationService.Classification;
using CitationService.Classification.Runtime;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Classification.Summaries;
using CitationService.Classification.Training;

namespace CitationService.Tests.Classification;

public class SummaryModelTests
{
    /// <summary>Every 8th labelled non-test pair: a fixed sample with both BACKGROUND and BASELINE pairs.</summary>
    private static List<SummaryPair> Sample() =>
        [.. SummaryCorpus.Load(RepositoryPaths.Data).Where(p => p.Split != "test").Where((_, i) => i % 8 == 0)];

    [Fact]
    public void Plain_CSharp_inference_gives_MLNET_probabilities_and_it_learns()
    {
        var sample = Sample();
        var config = new SummaryConfig { MaxIterations = 100 };
        var features = sample.Select(p => SummaryTrainer.Featurize(p, config)).ToArray();
        var labels = SummaryTrainer.LabelsOf("role");
        var gold = sample.Select(p => SummaryTrainer.IndexOf(labels, p.Role)).ToArray();
        var transformer = SummaryTrainer.Fit(features, gold, labels.Count, config);
        var model = LinearModel.FromTransformer(transformer, new float[labels.Count], 1f);

        var expected = SummaryTrainer.MlNetProbabilities(transformer, features, labels.Count);
        for (var i = 0; i < features.Length; i++)
        {
            var actual = model.Probabilities(features[i].Indices, features[i].Values);
            for (var c = 0; c < labels.Count; c++)
            {
                Assert.Equal(expected[i][c], actual[c], 1e-4);
            }
        }
        var correct = Enumerable.Range(0, sample.Count).Count(i => TextModel.ArgMax(expected[i]) == gold[i]);
        var predicted = string.Join(",", Enumerable.Range(0, sample.Count).Select(i => TextModel.ArgMax(expected[i])).GroupBy(x => x).Select(g => $"{g.Key}:{g.Count()}"));
        var golds = string.Join(",", gold.GroupBy(x => x).Select(g => $"{g.Key}:{g.Count()}"));
        Assert.True(correct > 0.9 * sample.Count, $"training accuracy {correct}/{sample.Count} predicted {predicted} gold {golds} first {string.Join(" ", expected[0])}");
    }

    [Fact]
    public void Tokenizer_gives_the_tokens_of_its_documented_regex()
    {
        var regex = new System.Text.RegularExpressions.Regex(@"[a-z0-9]+(?:[\-'][a-z0-9]+)*");
        var texts = SummaryCorpus.Load(RepositoryPaths.Data).SelectMany(p => new[] { p.Summary, p.HubTitle, p.HubAbstract })
            .Concat(["", "-", "a-", "-a", "a--b", "a-b-c", "don't", "x''y", "GPT-4o's", "Ünïcode straße İstanbul K\u212A", "1.5B/7B", "a - b", "'quoted'"]);
        foreach (var text in texts)
        {
            var expected = regex.Matches(text.ToLowerInvariant()).Select(m => m.Value);
            Assert.Equal(expected, SummaryFeaturizer.Words(text));
        }
    }

    [Theory]
    [InlineData("role")]
    [InlineData("polarity")]
    public void Committed_summary_model_is_what_training_gives_now(string task)
    {
        // Retrains with the shipped settings (cross-validation included) and compares the committed zip's
        // calibrated probabilities on test pairs: a swapped, stale or hand-edited model fails here.
        var corpus = SummaryCorpus.Load(RepositoryPaths.Data);
        var config = task == "role" ? SummaryTrainingRunner.RoleConfig : SummaryTrainingRunner.PolarityConfig;
        var pairs = SummaryTrainer.TrainingPairs(corpus, config);
        var fresh = SummaryTrainer.Train(pairs, task, config, config.SentenceWeight > 0 ? SummaryTrainer.SentenceRows(RepositoryPaths.Data, task) : []);

        var entry = ModelManifest.Load(Path.Combine(RepositoryPaths.Models, ModelManifest.FileName)).Find(task, "summary")!;
        Assert.Equal(SummaryTrainingRunner.ComputeVersion(task, config, pairs), entry.Version);
        Assert.Equal(fresh.Temperature, entry.Temperature, 5);
        var committed = LinearModel.Load(Path.Combine(RepositoryPaths.Models, entry.File),
            [.. entry.Labels.Select(l => entry.Biases.GetValueOrDefault(l))], entry.Temperature);
        foreach (var pair in corpus.Where(p => p.Split == "test").Where((_, i) => i % 9 == 0))
        {
            var (indices, values) = SummaryTrainer.Featurize(pair, config);
            var expected = fresh.Model.Probabilities(indices, values);
            var actual = committed.Probabilities(indices, values);
            for (var c = 0; c < expected.Length; c++)
            {
                Assert.Equal(expected[c], actual[c], 1e-5);
            }
        }
    }
}

[Collection(ShippedModels.Name)]
public class ShippedSummaryModelTests(ShippedModels models)
{
    private static readonly HubText Npo = new(
        "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning",
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "seeds", "000_bb0c471c89efa636.txt")).SkipWhile(l => l != "abstract").Skip(1).First(),
        "hub");

    private const string ReadmeExample = "We evaluate our unlearning method on the TOFU benchmark and outperform NPO.";

    [Fact]
    public void README_example_is_a_baseline_of_the_NPO_hub_and_the_hub_changes_the_answer()
    {
        var withHub = models.Classifier.ClassifyRole(CitationText.Summary(ReadmeExample, Npo));
        var withoutHub = models.Classifier.ClassifyRole(CitationText.Summary(ReadmeExample, HubText.None));
        Assert.Equal(CitationRole.Baseline, withHub.Label);
        Assert.NotEqual(withHub.Probabilities[CitationRole.Baseline], withoutHub.Probabilities[CitationRole.Baseline]);
        Assert.Equal(models.Classifier.RoleModelVersion, withHub.ModelVersion);
    }

    [Fact]
    public void A_citation_sentence_is_answered_by_the_sentence_model()
    {
        var manifest = models.Classifier.Manifest;
        var sentence = models.Classifier.ClassifyRole(CitationText.Sentence(ReadmeExample));
        var polarity = models.Classifier.ClassifyPolarity(CitationText.Sentence(ReadmeExample));
        Assert.Equal(manifest.Find("role", "citation_sentence")!.Version, sentence.ModelVersion);
        Assert.Equal(manifest.Find("polarity", "citation_sentence")!.Version, polarity.ModelVersion);
        Assert.NotEqual(manifest.Find("role", "summary")!.Version, sentence.ModelVersion);
    }

    [Fact]
    public void Probabilities_are_calibrated_distributions_over_every_label()
    {
        var role = models.Classifier.ClassifyRole(CitationText.Summary(ReadmeExample, Npo));
        Assert.Equal(6, role.Probabilities.Count);
        Assert.Equal(1.0, role.Probabilities.Values.Sum(), 4);
        Assert.Equal(role.Probabilities.Values.Max(), role.Confidence);
    }
}

/// <summary>The shipped models, loaded once for the tests that read them.</summary>
public sealed class ShippedModels
{
    public const string Name = "shipped models";

    public ModelCitationClassifier Classifier { get; } = ModelCitationClassifier.Load(RepositoryPaths.Models);
}

[CollectionDefinition(ShippedModels.Name)]
public sealed class ShippedModelsCollection : ICollectionFixture<ShippedModels>;
