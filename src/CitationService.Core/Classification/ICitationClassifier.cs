using CitationService.Core.Model;

namespace CitationService.Core.Classification;

/// <summary>Assigns citation role and polarity to a text. Implementations are thread-safe.</summary>
public interface ICitationClassifier
{
    /// <summary>Version of the loaded role model, e.g. "role-3f2a9c1b0d4e".</summary>
    string RoleModelVersion { get; }

    /// <summary>Version of the loaded polarity model.</summary>
    string PolarityModelVersion { get; }

    LabelPrediction<CitationRole> ClassifyRole(string text);

    LabelPrediction<CitationPolarity> ClassifyPolarity(string text);
}
