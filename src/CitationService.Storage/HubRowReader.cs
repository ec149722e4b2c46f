using System.Data.Common;
using Dapper;

namespace CitationService.Storage;

/// <summary>
/// Maps rows of <see cref="Columns"/> to <see cref="HubRow"/> by column ordinal: every hub read (look-ups, lists, the
/// save path's match), where Dapper's per-call column checks and boxing cost more than the one-row query itself.
/// </summary>
internal static class HubRowReader
{
    /// <summary>The SELECT list <see cref="Read"/> reads, in ordinal order; <c>h</c> is <c>hubs</c>.</summary>
    internal const string Columns = """
        h.id, h.title, h.normalized_title, h.abstract, h.tier_label, h.stated_citing_count, h.source_url,
        h.arxiv_id, h.doi, h.stated_role_counts, h.stated_polarity_counts, h.ingested_at, h.updated_at,
        h.pith_id, h.authors, h.year, h.venue, h.citing_paper_count
        """;

    private const int Id = 0;
    private const int Title = 1;
    private const int NormalizedTitle = 2;
    private const int Abstract = 3;
    private const int TierLabel = 4;
    private const int StatedCitingCount = 5;
    private const int SourceUrl = 6;
    private const int ArxivId = 7;
    private const int Doi = 8;
    private const int StatedRoleCounts = 9;
    private const int StatedPolarityCounts = 10;
    private const int IngestedAt = 11;
    private const int UpdatedAt = 12;
    private const int PithId = 13;
    private const int Authors = 14;
    private const int Year = 15;
    private const int Venue = 16;
    private const int StoredCitingCount = 17;

    /// <summary>The hubs <paramref name="command"/> selects (with <see cref="Columns"/>), in its order.</summary>
    public static async Task<List<HubRow>> QueryAsync(DbConnection connection, CommandDefinition command)
    {
        await using var reader = await connection.ExecuteReaderAsync(command);
        return await ReadAllAsync(reader, command.CancellationToken);
    }

    /// <summary>The hubs of <paramref name="reader"/>'s rows (with <see cref="Columns"/>), in its order.</summary>
    public static async Task<List<HubRow>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<HubRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }
        return rows;
    }

    /// <summary>The hub at the reader's current row.</summary>
    public static HubRow Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(Id),
        Title = reader.GetString(Title),
        NormalizedTitle = reader.GetString(NormalizedTitle),
        Abstract = reader.GetString(Abstract),
        TierLabel = reader.GetString(TierLabel),
        StatedCitingCount = reader.IsDBNull(StatedCitingCount) ? null : reader.GetInt64(StatedCitingCount),
        SourceUrl = reader.GetString(SourceUrl),
        ArxivId = reader.GetString(ArxivId),
        Doi = reader.GetString(Doi),
        StatedRoleCounts = reader.GetString(StatedRoleCounts),
        StatedPolarityCounts = reader.GetString(StatedPolarityCounts),
        IngestedAt = reader.GetString(IngestedAt),
        UpdatedAt = reader.GetString(UpdatedAt),
        PithId = reader.GetString(PithId),
        Authors = reader.GetString(Authors),
        Year = reader.IsDBNull(Year) ? null : reader.GetInt64(Year),
        Venue = reader.GetString(Venue),
        StoredCitingCount = reader.GetInt64(StoredCitingCount),
    };
}
