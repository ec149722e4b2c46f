using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Core.Storage;

/// <summary>
/// Where hubs and citing papers live: SQLite (embedded, the default) or PostgreSQL (shared by replicas);
/// every engine passes the same store test suite. Every write is one transaction: it lands whole or not at all.
/// </summary>
public interface ICitationStore
{
    /// <summary>Creates or upgrades the schema by applying the versioned migrations not yet applied.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Answers a trivial query against the migrated schema; throws when the store cannot.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a parsed page: matches an existing hub (by Pith uuid or address, then arXiv id or DOI, then normalised title); inserts or
    /// updates it and its citing papers. In the same transaction, <paramref name="labeler"/> labels every
    /// paper of the page whose labels would otherwise not be current: new papers, changed summaries, all
    /// of them when the hub's title, abstract or tier label (what the summary models read) changes, and
    /// labels from other model versions. Papers the page no longer shows are kept (pages are often cut
    /// off); when the hub's text changes they lose their labels and await the background sweep.
    /// </summary>
    Task<PageSaveResult> SaveHubPageAsync(HubPage page, string sourceUrl, DateTimeOffset now, ISummaryLabeler labeler, CancellationToken cancellationToken);

    /// <summary>The hub <paramref name="lookup"/> names; null when none does.</summary>
    /// <exception cref="AmbiguousHubLookupException">Several hubs share the title, arXiv id or DOI: none is picked.</exception>
    Task<Hub?> GetHubAsync(HubLookup lookup, CancellationToken cancellationToken);

    /// <summary>What the hub's filtered views state, by filter.</summary>
    Task<IReadOnlyList<HubView>> GetHubViewsAsync(string hubId, CancellationToken cancellationToken);

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

    /// <summary>Papers with a summary and no labels (their hub's text changed after they were labelled), up to <paramref name="limit"/>, by id.</summary>
    Task<IReadOnlyList<PaperToLabel>> GetPapersAwaitingLabelsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Papers with a label whose version is not the one <paramref name="current"/> gives such a label now (by
    /// task, and by whether the paper's citation context was read), by id after <paramref name="afterId"/>
    /// ("" for the first), up to <paramref name="limit"/>: one pass over the papers when a new model is loaded.
    /// </summary>
    Task<IReadOnlyList<PaperToLabel>> GetPapersLabelledByOtherModelsAsync(ISummaryLabeler current, string afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes labels in one transaction, each only when its paper's <see cref="PaperToLabel.Revision"/> is
    /// still the one read (no ingest changed the summary or hub since). Returns how many were written.
    /// </summary>
    Task<int> SaveClassificationsAsync(IReadOnlyList<PaperClassification> classifications, CancellationToken cancellationToken);
}

/// <summary>
/// One way to find a hub; exactly one property is set. <c>SourceUrl</c> is a Pith address in any form
/// (reduced to its hub), or another source's address as ingested.
/// </summary>
public sealed record HubLookup(string? HubId = null, string? Title = null, string? ArxivId = null, string? Doi = null, string? SourceUrl = null);

/// <summary>A title, arXiv id or DOI that several stored hubs share; the caller must name one by id.</summary>
public sealed class AmbiguousHubLookupException(IReadOnlyList<string> hubIds)
    : Exception($"{(hubIds.Count > MaxIdsListed ? "more than " + MaxIdsListed : hubIds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} hubs match: {string.Join(", ", hubIds.Take(MaxIdsListed))}")
{
    /// <summary>How many of the matching hubs' ids the message lists.</summary>
    public const int MaxIdsListed = 5;

    /// <summary>Up to <see cref="MaxIdsListed"/> + 1 matching hub ids, earliest ingested first.</summary>
    public IReadOnlyList<string> HubIds { get; } = hubIds;
}

/// <summary>A filtered view of a hub (<see cref="PithAddress.Filter"/>) and the counts its page states.</summary>
public sealed record HubView(
    string Filter, int? StatedCitingCount, IReadOnlyList<StatedLabelCount> StatedRoleCounts, IReadOnlyList<StatedLabelCount> StatedPolarityCounts, DateTimeOffset UpdatedAt);

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

    /// <summary>
    /// Whether any criterion is set that can exclude a paper; false when every paper matches (a minimum
    /// confidence of 0 or less excludes nothing).
    /// </summary>
    public bool HasCriteria =>
        Roles.Count > 0
        || Polarities.Count > 0
        || !(MinRoleConfidence <= 0)
        || !(MinPolarityConfidence <= 0)
        || !string.IsNullOrEmpty(PrimaryCategory)
        || SubmittedFrom is not null
        || SubmittedTo is not null
        || !string.IsNullOrEmpty(TextContains);
}

/// <summary>What saving one page changed.</summary>
/// <param name="HubId">The hub the page was stored as.</param>
/// <param name="HubCreated">The page created the hub.</param>
/// <param name="HubUpdated">The hub's own fields changed.</param>
/// <param name="PapersAdded">Citing papers new to the hub.</param>
/// <param name="PapersUpdated">Stored citing papers whose page fields changed.</param>
/// <param name="PapersUnchanged">Stored citing papers whose page fields did not change.</param>
/// <param name="PapersLabelled">Papers labelled in the save's transaction.</param>
/// <param name="PapersAwaitingLabels">Papers of the hub left for the background sweep (not on the page, hub text changed).</param>
public sealed record PageSaveResult(
    string HubId, bool HubCreated, bool HubUpdated, int PapersAdded, int PapersUpdated, int PapersUnchanged, int PapersLabelled, int PapersAwaitingLabels);

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
    /// <summary>The service's roles against the source's own (<see cref="SourceLabels"/>), where both exist.</summary>
    public SourceAgreement RoleAgreement { get; init; } = new(0, 0);
    public SourceAgreement PolarityAgreement { get; init; } = new(0, 0);
}

/// <summary>Papers whose source label is one of the service's labels and that the service has labelled, and how many of them agree.</summary>
public sealed record SourceAgreement(int Compared, int Agreed);

/// <summary>A stored citing paper to label (its summary, and its citation context where it has one), with the revision it was read at.</summary>
public sealed record PaperToLabel(string Id, long Revision, string Summary, HubText Hub, string? Context = null);

/// <summary>Labels to store for one citing paper, computed from what it held at <paramref name="Revision"/>.</summary>
public sealed record PaperClassification(string CitingPaperId, long Revision, PaperLabels Labels);
