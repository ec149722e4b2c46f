using CitationService.Classification.Runtime;
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
}
