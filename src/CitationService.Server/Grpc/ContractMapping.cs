using System.Globalization;
using CitationService.Core.Model;
using CitationService.Core.Storage;
using Google.Protobuf.WellKnownTypes;
using V1 = CitationService.Contracts.V1;

namespace CitationService.Server.Grpc;

/// <summary>Maps between core records and the citations.v1 contract, validating what comes in.</summary>
internal static class ContractMapping
{
    public static V1.Hub ToContract(this Hub hub)
    {
        var message = new V1.Hub
        {
            Id = hub.Id,
            Title = hub.Title,
            Abstract = hub.Abstract,
            TierLabel = hub.TierLabel,
            StoredCitingCount = hub.StoredCitingCount,
            SourceUrl = hub.SourceUrl,
            IngestedAt = Timestamp.FromDateTimeOffset(hub.IngestedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(hub.UpdatedAt),
            ArxivId = hub.ArxivId,
            Doi = hub.Doi,
            PithId = hub.PithId,
            Authors = hub.Authors,
            Venue = hub.Venue,
        };
        if (hub.StatedCitingCount is { } stated)
        {
            message.StatedCitingCount = stated;
        }
        if (hub.Year is { } year)
        {
            message.Year = year;
        }
        return message;
    }

    public static V1.SourceAgreement ToContract(this SourceAgreement agreement) => new() { Compared = agreement.Compared, Agreed = agreement.Agreed };

    public static V1.StatedLabelCount ToContract(this StatedLabelCount count) => new() { Label = count.Label, Count = count.Count };

    public static V1.FilteredView ToContract(this HubView view)
    {
        var message = new V1.FilteredView { Filter = view.Filter, UpdatedAt = Timestamp.FromDateTimeOffset(view.UpdatedAt) };
        if (view.StatedCitingCount is { } stated)
        {
            message.StatedCitingCount = stated;
        }
        message.StatedRoleCounts.AddRange(view.StatedRoleCounts.Select(ToContract));
        message.StatedPolarityCounts.AddRange(view.StatedPolarityCounts.Select(ToContract));
        return message;
    }

    public static V1.CitingPaper ToContract(this CitingPaper paper, float confidenceThreshold)
    {
        var message = new V1.CitingPaper
        {
            Id = paper.Id,
            HubId = paper.HubId,
            Title = paper.Title,
            ArxivId = paper.ArxivId,
            PrimaryCategory = paper.PrimaryCategory,
            SubmittedDate = paper.SubmittedDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Verdict = paper.Verdict,
            Representative = paper.Representative,
            Position = paper.Position,
            Role = ToContract(paper.Role, confidenceThreshold),
            Polarity = ToContract(paper.Polarity, confidenceThreshold),
            LabelSource = paper.Role is null ? V1.LabelSource.Unspecified
                : paper.LabelSource == Core.Classification.LabelSource.SummaryAndCitationContext ? V1.LabelSource.SummaryAndCitationContext
                : V1.LabelSource.Summary,
        };
        if (paper.Summary is { } summary)
        {
            message.Summary = summary;
        }
        if (paper.NoveltyScore is { } novelty)
        {
            message.NoveltyScore = novelty;
        }
        if (paper.ReferenceCount is { } references)
        {
            message.ReferenceCount = references;
        }
        if (paper.SubmittedAt is { } submitted)
        {
            message.SubmittedAt = Timestamp.FromDateTimeOffset(submitted);
        }
        if (paper.LinkConfidence is { } link)
        {
            message.LinkConfidence = link;
        }
        if (paper.ContextText is { } context)
        {
            message.CitationContext = context;
        }
        if (paper.ContextCount is { } contexts)
        {
            message.CitationContextCount = contexts;
        }
        if (paper.SourceLabels is { } labels)
        {
            message.SourceLabels = new V1.SourceLabels
            {
                Role = labels.Role,
                Polarity = labels.Polarity,
                RoleLabel = (V1.CitationRole)labels.RoleLabel,
                PolarityLabel = (V1.CitationPolarity)labels.PolarityLabel,
                From = labels.From,
            };
        }
        return message;
    }

    public static V1.RoleClassification ToContract(LabelPrediction<CitationRole>? prediction, float confidenceThreshold)
    {
        var message = new V1.RoleClassification();
        if (prediction is null)
        {
            return message;
        }
        message.Role = (V1.CitationRole)prediction.Label;
        message.Confidence = prediction.Confidence;
        message.LowConfidence = prediction.Confidence < confidenceThreshold;
        message.ModelVersion = prediction.ModelVersion;
        foreach (var (role, probability) in ByDescendingProbability(prediction.Probabilities))
        {
            message.Scores.Add(new V1.RoleScore { Role = (V1.CitationRole)role, Probability = probability });
        }
        return message;
    }

    public static V1.PolarityClassification ToContract(LabelPrediction<CitationPolarity>? prediction, float confidenceThreshold)
    {
        var message = new V1.PolarityClassification();
        if (prediction is null)
        {
            return message;
        }
        message.Polarity = (V1.CitationPolarity)prediction.Label;
        message.Confidence = prediction.Confidence;
        message.LowConfidence = prediction.Confidence < confidenceThreshold;
        message.ModelVersion = prediction.ModelVersion;
        foreach (var (polarity, probability) in ByDescendingProbability(prediction.Probabilities))
        {
            message.Scores.Add(new V1.PolarityScore { Polarity = (V1.CitationPolarity)polarity, Probability = probability });
        }
        return message;
    }

    /// <summary>
    /// The probabilities by descending probability, then by label: a plain insertion sort of a handful of entries,
    /// which every streamed and listed paper goes through twice (LINQ's sort allocated several objects per call).
    /// </summary>
    private static KeyValuePair<T, float>[] ByDescendingProbability<T>(IReadOnlyDictionary<T, float> probabilities)
        where T : struct, System.Enum
    {
        var sorted = new KeyValuePair<T, float>[probabilities.Count];
        var count = 0;
        foreach (var entry in probabilities)
        {
            var i = count++;
            for (; i > 0 && Precedes(entry, sorted[i - 1]); i--)
            {
                sorted[i] = sorted[i - 1];
            }
            sorted[i] = entry;
        }
        return sorted;

        // The order of OrderByDescending(Value).ThenBy(Key) with the default comparers (NaN sorts last).
        static bool Precedes(KeyValuePair<T, float> a, KeyValuePair<T, float> b)
        {
            var byValue = b.Value.CompareTo(a.Value);
            return byValue < 0 || (byValue == 0 && Comparer<T>.Default.Compare(a.Key, b.Key) < 0);
        }
    }

    /// <summary>Validates a request's filter; <paramref name="field"/> prefixes the field names in errors.</summary>
    public static CitingPaperFilter ToCore(this V1.CitingPaperFilter? filter, string field)
    {
        if (filter is null)
        {
            return CitingPaperFilter.None;
        }

        var roles = filter.Roles.Select((role, i) => System.Enum.IsDefined((CitationRole)role)
            ? (CitationRole)role
            : throw RpcErrors.InvalidArgument($"{field}.roles[{i}]", $"unknown role {(int)role}")).ToList();
        var polarities = filter.Polarities.Select((polarity, i) => System.Enum.IsDefined((CitationPolarity)polarity)
            ? (CitationPolarity)polarity
            : throw RpcErrors.InvalidArgument($"{field}.polarities[{i}]", $"unknown polarity {(int)polarity}")).ToList();
        var from = ParseDate(filter.SubmittedFrom, $"{field}.submitted_from");
        var to = ParseDate(filter.SubmittedTo, $"{field}.submitted_to");
        if (from > to)
        {
            throw RpcErrors.InvalidArgument($"{field}.submitted_from", "is after submitted_to");
        }

        return new CitingPaperFilter
        {
            Roles = roles,
            Polarities = polarities,
            MinRoleConfidence = Probability(filter.MinRoleConfidence, $"{field}.min_role_confidence"),
            MinPolarityConfidence = Probability(filter.MinPolarityConfidence, $"{field}.min_polarity_confidence"),
            PrimaryCategory = NullIfEmpty(filter.PrimaryCategory.Trim()),
            SubmittedFrom = from,
            SubmittedTo = to,
            TextContains = TextQuery(filter.TextContains),
        };
    }

    /// <summary>A free-text query, trimmed; null when blank. Its length is checked by <see cref="FieldLimits"/>.</summary>
    public static string? TextQuery(string value) => NullIfEmpty(value.Trim());

    /// <summary>Clamps AIP-158 page sizes: 0 means the default; negative is an error.</summary>
    public static int PageSize(int requested, string field)
    {
        const int DefaultPageSize = 50;
        const int MaxPageSize = 1000;
        return requested switch
        {
            < 0 => throw RpcErrors.InvalidArgument(field, "must not be negative"),
            0 => DefaultPageSize,
            _ => Math.Min(requested, MaxPageSize),
        };
    }

    /// <summary>A required id: non-empty after trimming.</summary>
    public static string RequiredId(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw RpcErrors.InvalidArgument(field, "must not be empty") : value.Trim();

    private static float Probability(float value, string field) =>
        value is >= 0f and <= 1f ? value : throw RpcErrors.InvalidArgument(field, "must be between 0 and 1");

    private static DateOnly? ParseDate(string value, string field)
    {
        if (value.Length == 0)
        {
            return null;
        }
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw RpcErrors.InvalidArgument(field, $"{FieldLimits.Quote(value)} is not a date in the form YYYY-MM-DD");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
