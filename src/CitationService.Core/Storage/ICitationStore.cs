using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Core.Storage;

/// <summary>
/// Where hubs and citing papers live. SQLite is the embedded engine; every engine passes the same
/// store test suite. Every write is one transaction: it lands whole or not at all.
/// </summary>
public interface ICitationStore
{
    /// <summary>Creates or upgrades the schema by applying the versioned migrations not yet applied.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Answers a trivial query against the migrated schema; throws when the store cannot.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a parsed page: matches an existing hub by source URL, else by normalised title; inserts or
    /// updates it and its citing papers. A paper whose summary changes loses its classification, and so does
    /// every paper of a hub whose title, abstract or tier label changes (what the summary models read of it).
    /// Papers the page no longer shows are kept (pages are often cut off).
    /// </summary>
    Task<PageSaveResult> SaveHubPageAsync(HubPage page, string sourceUrl, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Hub?> GetHubAsync(HubLookup lookup, CancellationToken cancellationToken);

    /// <summary>Hubs ordered by (normalised title, id), after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<Hub>> ListHubsAsync(string? titleQuery, HubCursor? after, int limit, CancellationToken cancellationToken);

    Task<CitingPaper?> GetCitingPaperAsync(string citingPaperId, CancellationToken cancellationToken);

    /// <summary>
    /// A hub's citing papers matching <paramref name="filter"/>, ordered by (position, id), after
    /// <paramref name="after"/>, read from the database as the caller enumerates (never buffered whole).
    /// </summary>
    IAsyncEnumerable<CitingPaper> ReadCitingPapersAsync(string hubId, CitingPaperFilter filter, CitingPaperCursor? after, int? limit, CancellationToken cancellationToken);

    /// <summary>Counts of a hub's citing papers by label, split at <paramref name="confidenceThreshold"/>.</summary>
    Task<HubLabelCounts> CountLabelsAsync(string hubId, float confidenceThreshold, CancellationToken cancellationToken);

    /// <summary>
    /// Papers with a summary whose role or polarity classification is missing or came from another model
    /// version, up to <paramref name="limit"/>, ordered by id.
    /// </summary>
    Task<IReadOnlyList<CitingPaper>> GetPapersToClassifyAsync(string roleModelVersion, string polarityModelVersion, int limit, CancellationToken cancellationToken);

    /// <summary>Writes classifications in one transaction.</summary>
    Task SaveClassificationsAsync(IReadOnlyList<PaperClassification> classifications, CancellationToken cancellationToken);
}

/// <summary>One way to find a hub; exactly one property is set.</summary>
public sealed record HubLookup(string? HubId = null, string? Title = null, string? ArxivId = null, string? Doi = null);

/// <summary>Keyset position in the hub listing.</summary>
public sealed record HubCursor(string NormalizedTitle, string Id);

/// <summary>Keyset position in a hub's citing papers.</summary>
public sealed record CitingPaperCursor(int Position, string Id);

/// <summary>Every set criterion must match. Empty lists and nulls match everything.</summary>
public sealed record CitingPaperFilter
{
    /// <summary>Any of these roles; <see cref="CitationRole.Unspecified"/> selects unclassified papers.</summary>
    public IReadOnlyList<CitationRole> Roles { get; init; } = [];
    public IReadOnlyList<CitationPolarity> Polarities { get; init; } = [];
    public float MinRoleConfidence { get; init; }
    public float MinPolarityConfidence { get; init; }
    public string? PrimaryCategory { get; init; }
    public DateOnly? SubmittedFrom { get; init; }
    public DateOnly? SubmittedTo { get; init; }
    /// <summary>Case-insensitive text the title or summary contains.</summary>
    public string? TextContains { get; init; }

    public static CitingPaperFilter None { get; } = new();
}

/// <summary>What saving one page changed.</summary>
public sealed record PageSaveResult(string HubId, bool HubCreated, bool HubUpdated, int PapersAdded, int PapersUpdated, int PapersUnchanged);

/// <summary>Label counts of one hub's citing papers.</summary>
public sealed record HubLabelCounts
{
    public int CitingPaperCount { get; init; }
    public IReadOnlyDictionary<CitationRole, int> Roles { get; init; } = new Dictionary<CitationRole, int>();
    public IReadOnlyDictionary<CitationPolarity, int> Polarities { get; init; } = new Dictionary<CitationPolarity, int>();
    public IReadOnlyDictionary<CitationRole, int> LowConfidenceRoles { get; init; } = new Dictionary<CitationRole, int>();
    public IReadOnlyDictionary<CitationPolarity, int> LowConfidencePolarities { get; init; } = new Dictionary<CitationPolarity, int>();
    public int UnclassifiedRoles { get; init; }
    public int UnclassifiedPolarities { get; init; }
}

/// <summary>A classification to store for one citing paper.</summary>
public sealed record PaperClassification(string CitingPaperId, LabelPrediction<CitationRole> Role, LabelPrediction<CitationPolarity> Polarity);
