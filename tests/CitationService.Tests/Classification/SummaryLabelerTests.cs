using CitationService.Core.Classification;
using CitationService.Core.Model;

namespace CitationService.Tests.Classification;

/// <summary>The labeler the store and the sweep use, over the shipped models: summaries alone, and with a citation context.</summary>
[Collection(ShippedModels.Name)]
public class SummaryLabelerTests(ShippedModels models)
{
    private static readonly HubText Hub = new(
        "Proximal Policy Optimization Algorithms",
        "We propose a new family of policy gradient methods for reinforcement learning.",
        "mega hub");

    private const string Summary = "LoopUS converts pretrained LLMs into looped latent refinement models to improve reasoning performance.";
    private const string Context = "We optimise the policy with PPO [12], using the clipped objective and its default hyperparameters.";

    [Fact]
    public void Label_reads_the_summary_alone_when_the_paper_has_no_context()
    {
        var labels = new SummaryLabeler(models.Classifier).Label(Hub, [new PaperText(Summary), new PaperText(Summary, "  ")], CancellationToken.None);

        var expected = models.Classifier.ClassifyRole(CitationText.Summary(Summary, Hub));
        Assert.All(labels, label =>
        {
            Assert.Equal(LabelSource.Summary, label.Source);
            Assert.Equal((expected.Label, expected.Confidence, expected.ModelVersion), (label.Role.Label, label.Role.Confidence, label.Role.ModelVersion));
        });
    }

    [Fact]
    public void Label_averages_the_summary_and_context_models_probabilities_when_the_paper_has_a_context()
    {
        var label = new SummaryLabeler(models.Classifier).Label(Hub, [new PaperText(Summary, Context)], CancellationToken.None).Single();

        var fromSummary = models.Classifier.ClassifyRole(CitationText.Summary(Summary, Hub));
        var fromContext = models.Classifier.ClassifyRole(CitationText.Sentence(Context));
        Assert.Equal(LabelSource.SummaryAndCitationContext, label.Source);
        foreach (var role in fromSummary.Probabilities.Keys.Union(fromContext.Probabilities.Keys))
        {
            var mean = (fromSummary.Probabilities.GetValueOrDefault(role) + fromContext.Probabilities.GetValueOrDefault(role)) / 2;
            Assert.Equal(mean, label.Role.Probabilities[role], 6);
        }
        Assert.Equal(label.Role.Probabilities.MaxBy(p => p.Value).Key, label.Role.Label);
        Assert.Equal(label.Role.Probabilities.Values.Max(), label.Role.Confidence);
        Assert.Equal(1.0, label.Role.Probabilities.Values.Sum(), 4);
        // Both models' versions, the labeler's version for a paper read with its context: a new model of either
        // kind makes the stored label stale.
        Assert.Equal($"{fromSummary.ModelVersion}+{fromContext.ModelVersion}", label.Role.ModelVersion);
        Assert.Equal(new SummaryLabeler(models.Classifier).RoleWithContextVersion, label.Role.ModelVersion);
        var polarityFromContext = models.Classifier.ClassifyPolarity(CitationText.Sentence(Context));
        var polarityFromSummary = models.Classifier.ClassifyPolarity(CitationText.Summary(Summary, Hub));
        Assert.Equal((polarityFromSummary.Probabilities[CitationPolarity.Neutral] + polarityFromContext.Probabilities[CitationPolarity.Neutral]) / 2,
            label.Polarity.Probabilities[CitationPolarity.Neutral], 6);
    }

    [Fact]
    public void Mean_breaks_a_tie_towards_the_lower_label_and_carries_both_predictions_versions()
    {
        var first = new LabelPrediction<CitationRole>(CitationRole.Method, 0.6f,
            new Dictionary<CitationRole, float> { [CitationRole.Method] = 0.6f, [CitationRole.Background] = 0.4f }, "summary-v");
        var second = new LabelPrediction<CitationRole>(CitationRole.Background, 0.6f,
            new Dictionary<CitationRole, float> { [CitationRole.Background] = 0.6f, [CitationRole.Method] = 0.4f }, "sentence-v");

        var mean = SummaryLabeler.Mean(first, second);

        Assert.Equal((CitationRole.Background, 0.5f, "summary-v+sentence-v"), (mean.Label, mean.Confidence, mean.ModelVersion));
    }
}
