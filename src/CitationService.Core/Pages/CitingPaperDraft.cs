namespace CitationService.Core.Pages;

/// <summary>A citing paper while the page is being read; several listings of one paper merge into one draft.</summary>
internal sealed class CitingPaperDraft
{
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    /// <summary>A summary cut off at the end of the page: not kept, but lets a complete copy elsewhere be matched.</summary>
    public string? CutOffSummary { get; set; }
    public PaperMetadata? Metadata { get; set; }
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
        Representative |= other.Representative;
    }

    public PageCitingPaper ToPageCitingPaper() => new()
    {
        Title = Title,
        Summary = Summary,
        PrimaryCategory = Metadata?.PrimaryCategory ?? "",
        SubmittedDate = Metadata?.SubmittedDate,
        Verdict = Metadata?.Verdict ?? "",
        NoveltyScore = Metadata?.NoveltyScore,
        ReferenceCount = Metadata?.ReferenceCount,
        Representative = Representative,
    };
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
