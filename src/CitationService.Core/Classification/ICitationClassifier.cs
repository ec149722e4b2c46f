using CitationService.Core.Model;

namespace CitationService.Core.Classification;

/// <summary>Assigns citation role and polarity to a text. Implementations are thread-safe.</summary>
public interface ICitationClassifier
{
    /// <summary>Version of the role model that labels stored papers (the summary model), e.g. "summary-role-3f2a9c1b0d4e".</summary>
    string RoleModelVersion { get; }

    /// <summary>Version of the polarity model that labels stored papers (the summary model).</summary>
    string PolarityModelVersion { get; }

    /// <summary>Version of the role model for citation sentences, which also reads stored papers' citation contexts.</summary>
    string RoleSentenceModelVersion { get; }

    /// <summary>Version of the polarity model for citation sentences.</summary>
    string PolaritySentenceModelVersion { get; }

    /// <summary>The role of <paramref name="text"/>, by the model for its kind; the prediction carries that model's version.</summary>
    LabelPrediction<CitationRole> ClassifyRole(CitationText text);

    /// <summary>The polarity of <paramref name="text"/>, by the model for its kind.</summary>
    LabelPrediction<CitationPolarity> ClassifyPolarity(CitationText text);
}
