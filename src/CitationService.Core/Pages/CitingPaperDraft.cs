namespace CitationService.Core.Pages;

/// <summary>A citing paper while the page is being read; several listings of one paper merge into one draft.</summary>
internal sealed class CitingPaperDraft
{
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    /// <summary>A summary cut off at the end of the page: not kept, but lets a complete copy elsewhere be matched.</summary>
    public string? CutOffSummary { get; set; }
    public PaperMetadata? Metadata { get; set; }
    /// <summary>What the JSON form adds to the metadata line; null on text pages.</summary>
    public PaperDetails? Details { get; set; }
    public bool Representative { get; set; }

    public bool IsEmpty => Title.Length == 0 && Summary is null && CutOffSummary is null;

    /// <summary>The identity used to merge listings: the normalised title, or the normalised summary when untitled.</summary>
    public string? Key =>
        Title.Length > 0 ? "title:" + Model.TextNormalizer.NormalizeTitle(Title)
        : Summary is not null ? "summary:" + Model.TextNormalizer.NormalizeTitle(Summary)
        : null;

    /// <summary>Fills what this listing lacks from another listing of the same paper.</summary>
    public void FillFrom(CitingPaperDraft other)
    {
        if (Title.Length == 0)
        {
            Title = other.Title;
        }
        if (Summary is null)
        {
            Summary = other.Summary;
            CutOffSummary ??= other.CutOffSummary;
        }
        Metadata ??= other.Metadata;
        Details ??= other.Details;
        Representative |= other.Representative;
    }

    public PageCitingPaper ToPageCitingPaper() => new()
    {
        Title = Title,
        Summary = Summary,
        ArxivId = Details?.ArxivId ?? "",
        PrimaryCategory = Metadata?.PrimaryCategory ?? "",
        SubmittedDate = Metadata?.SubmittedDate,
        SubmittedAt = Details?.SubmittedAt,
        Verdict = Metadata?.Verdict ?? "",
        NoveltyScore = Metadata?.NoveltyScore,
        ReferenceCount = Metadata?.ReferenceCount,
        Representative = Representative,
        LinkConfidence = Details?.LinkConfidence,
        ContextText = Details?.ContextText,
        ContextCount = Details?.ContextCount,
        SourceRole = Details?.SourceRole ?? "",
        SourcePolarity = Details?.SourcePolarity ?? "",
    };
}

/// <summary>What Pith's JSON form gives of a citing paper beyond the text pages' metadata line (see <see cref="PageCitingPaper"/>).</summary>
internal sealed record PaperDetails(
    string ArxivId, DateTimeOffset? SubmittedAt, float? LinkConfidence, string? ContextText, int? ContextCount,
    string SourceRole, string SourcePolarity);

/// <summary>
/// Citing papers in listing order, one per <see cref="CitingPaperDraft.Key"/>: a later listing of a paper
/// fills what the first one lacks. Every rendering's duplicate listings merge here.
/// </summary>
internal sealed class CitingPaperList
{
    private readonly Dictionary<string, CitingPaperDraft> _byKey = new(StringComparer.Ordinal);
    private int _duplicates;
    private string? _firstDuplicate;

    public List<CitingPaperDraft> Papers { get; } = [];

    /// <summary>Adds a listing, or merges it into the earlier listing of the same paper (counted for <see cref="DuplicateWarning"/>).</summary>
    public void Add(CitingPaperDraft draft)
    {
        if (draft.Key is not { } key)
        {
            Papers.Add(draft);
            return;
        }
        if (_byKey.TryGetValue(key, out var existing))
        {
            existing.FillFrom(draft);
            _duplicates++;
            _firstDuplicate ??= draft.Title.Length > 0 ? draft.Title : draft.Summary;
            return;
        }
        _byKey[key] = draft;
        Papers.Add(draft);
    }

    /// <summary>Adds a paper the caller has already matched against this list and found missing.</summary>
    public void Append(CitingPaperDraft draft)
    {
        Papers.Add(draft);
        if (draft.Key is { } key)
        {
            _byKey.TryAdd(key, draft);
        }
    }

    public CitingPaperDraft? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>One warning for the listings the lists merged; null when they merged none.</summary>
    public static string? DuplicateWarning(params ReadOnlySpan<CitingPaperList> lists)
    {
        var duplicates = 0;
        string? first = null;
        foreach (var list in lists)
        {
            duplicates += list._duplicates;
            first ??= list._firstDuplicate;
        }
        return duplicates == 0 ? null
            : $"{duplicates} duplicate citing-paper listing(s) merged into the first one (e.g. {PageWarnings.Quote(first ?? "")})";
    }
}

/// <summary>Warnings for the caller, capped so a pathological page cannot produce millions of them.</summary>
internal sealed class PageWarnings
{
    private const int Limit = 50;
    private readonly List<string> _items = [];
    private int _dropped;

    public void Add(string warning)
    {
        if (_items.Count < Limit)
        {
            _items.Add(warning);
        }
        else
        {
            _dropped++;
        }
    }

    public IReadOnlyList<string> ToList() =>
        _dropped == 0 ? [.. _items] : [.. _items, $"{_dropped} more warnings were left out"];

    /// <summary>Shortens page text quoted in a warning.</summary>
    public static string Quote(string text) => text.Length <= 80 ? $"'{text}'" : $"'{text[..77]}...'";
}
