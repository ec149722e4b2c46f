using CitationService.Core.Model;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CitationService.Storage.Sqlite;

/// <summary>
/// The code half of migration 0004: hubs stored under several addresses of one Pith hub (host variants,
/// filtered views, JSON suffixes) become one hub. The survivor is the earliest-ingested hub stored from an
/// unfiltered address (else the earliest); the others' papers move to it, re-keyed to the survivor's paper
/// ids, and a paper the survivor already holds (same normalised title, or summary when untitled) is dropped
/// as a duplicate. A filtered view's stated counts move to <c>hub_views</c>.
/// </summary>
internal static class HubIdentityMigration
{
    public const int Version = 4;

    private sealed class StoredHub
    {
        public string Id { get; set; } = "";
        public string SourceUrl { get; set; } = "";
        public string IngestedAt { get; set; } = "";
        public string UpdatedAt { get; set; } = "";
        public long? StatedCitingCount { get; set; }
        public string StatedRoleCounts { get; set; } = "[]";
        public string StatedPolarityCounts { get; set; } = "[]";
    }

    private sealed class StoredPaper
    {
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Summary { get; set; }
    }

    private const string SelectHubsWithUrlSql = """
        SELECT id AS Id, source_url AS SourceUrl, ingested_at AS IngestedAt, updated_at AS UpdatedAt,
               stated_citing_count AS StatedCitingCount, stated_role_counts AS StatedRoleCounts,
               stated_polarity_counts AS StatedPolarityCounts
        FROM hubs
        WHERE source_url <> ''
        ORDER BY ingested_at, id;
        """;

    private const string SelectPapersSql = """
        SELECT id AS Id, title AS Title, summary AS Summary FROM citing_papers WHERE hub_id = @HubId ORDER BY position, id;
        """;

    private const string MovePaperSql = """
        UPDATE citing_papers
        SET id = @NewId, hub_id = @HubId,
            position = (SELECT coalesce(max(position), -1) + 1 FROM citing_papers WHERE hub_id = @HubId)
        WHERE id = @Id;
        """;

    // A survivor first stored from a filtered view holds that view's counts, not the hub's.
    private const string SetIdentitySql = """
        UPDATE hubs
        SET pith_id = @PithId, source_url = @SourceUrl,
            stated_citing_count = CASE WHEN @Filtered THEN NULL ELSE stated_citing_count END,
            stated_role_counts = CASE WHEN @Filtered THEN '[]' ELSE stated_role_counts END,
            stated_polarity_counts = CASE WHEN @Filtered THEN '[]' ELSE stated_polarity_counts END
        WHERE id = @Id;
        """;

    private const string DeleteHubSql = """
        DELETE FROM citing_papers WHERE hub_id = @Id;
        DELETE FROM hubs WHERE id = @Id;
        """;

    private const string CreateUniqueIndexSql = """
        CREATE UNIQUE INDEX ux_hubs_pith_id ON hubs (pith_id) WHERE pith_id <> '';
        """;

    public static async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var hubs = await connection.QueryAsync<StoredHub>(new CommandDefinition(SelectHubsWithUrlSql, null, transaction, cancellationToken: cancellationToken));
        var groups = hubs
            .Select(hub => (Hub: hub, Address: PithAddress.TryParse(hub.SourceUrl)))
            .Where(entry => entry.Address is not null)
            .GroupBy(entry => entry.Address!.HubUuid, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // Already ordered by (ingested_at, id): the first unfiltered one survives, else the first.
            var members = group.ToList();
            var survivor = members.FirstOrDefault(m => !m.Address!.IsFiltered);
            if (survivor.Hub is null)
            {
                survivor = members[0];
            }
            foreach (var (hub, address) in members.Where(m => m.Address!.IsFiltered))
            {
                await connection.ExecuteAsync(new CommandDefinition(SqlCitationStore.UpsertHubViewSql, new
                {
                    HubId = survivor.Hub.Id,
                    address!.Filter,
                    hub.StatedCitingCount,
                    hub.StatedRoleCounts,
                    hub.StatedPolarityCounts,
                    hub.UpdatedAt,
                }, transaction, cancellationToken: cancellationToken));
            }
            var held = await PaperIdsAsync(connection, transaction, survivor.Hub.Id, cancellationToken);
            foreach (var (hub, _) in members.Where(m => m.Hub.Id != survivor.Hub.Id))
            {
                await MovePapersAsync(connection, transaction, hub.Id, survivor.Hub.Id, held, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(DeleteHubSql, new { hub.Id }, transaction, cancellationToken: cancellationToken));
            }
            await connection.ExecuteAsync(new CommandDefinition(SetIdentitySql, new
            {
                survivor.Hub.Id,
                PithId = group.Key,
                SourceUrl = survivor.Address!.CanonicalUrl,
                Filtered = survivor.Address.IsFiltered,
            }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                SqlCitationStore.RecountHubPapersSql, new { HubId = survivor.Hub.Id }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(CreateUniqueIndexSql, null, transaction, cancellationToken: cancellationToken));
    }

    // The survivor's paper ids, and the ids an ingest of the survivor computes for them (the same unless a
    // paper's title changed since it was keyed).
    private static async Task<HashSet<string>> PaperIdsAsync(SqliteConnection connection, SqliteTransaction transaction, string hubId, CancellationToken cancellationToken)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var paper in await connection.QueryAsync<StoredPaper>(new CommandDefinition(SelectPapersSql, new { HubId = hubId }, transaction, cancellationToken: cancellationToken)))
        {
            held.Add(paper.Id);
            held.Add(StableIds.ForCitingPaper(hubId, paper.Title, paper.Summary));
        }
        return held;
    }

    // Moves a merged hub's papers to the survivor; held grows with each paper moved, so a paper that two merged
    // hubs both hold moves once.
    private static async Task MovePapersAsync(
        SqliteConnection connection, SqliteTransaction transaction, string fromHubId, string toHubId, HashSet<string> held, CancellationToken cancellationToken)
    {
        var moving = await connection.QueryAsync<StoredPaper>(new CommandDefinition(SelectPapersSql, new { HubId = fromHubId }, transaction, cancellationToken: cancellationToken));
        foreach (var paper in moving)
        {
            // The id an ingest of the survivor computes for this paper: a duplicate already has it.
            var newId = StableIds.ForCitingPaper(toHubId, paper.Title, paper.Summary);
            if (held.Add(newId))
            {
                await connection.ExecuteAsync(new CommandDefinition(MovePaperSql, new { paper.Id, NewId = newId, HubId = toHubId }, transaction, cancellationToken: cancellationToken));
            }
        }
    }
}
