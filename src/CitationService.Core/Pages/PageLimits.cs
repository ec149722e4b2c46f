namespace CitationService.Core.Pages;

/// <summary>
/// The longest value each field of a parsed page may hold, in characters, and the most citing papers a
/// page may list. A page over any of them is refused whole (nothing is stored), naming the field: what
/// is stored then stays small enough for any list response to fit a client's 4 MB receive limit. The
/// README's "Limits" section states the same numbers.
/// </summary>
public static class PageLimits
{
    /// <summary>A hub's or a citing paper's title.</summary>
    public const int Title = 1_000;
    /// <summary>A hub's abstract (arXiv caps abstracts at 1,920 characters).</summary>
    public const int Abstract = 20_000;
    /// <summary>A hub's tier label ("super hub Canonical reference").</summary>
    public const int TierLabel = 200;
    /// <summary>A citing paper's one-line summary; also the longest text the classifier accepts.</summary>
    public const int Summary = 4_000;
    /// <summary>Citing papers on one page.</summary>
    public const int CitingPapers = 200_000;
    /// <summary>
    /// An arXiv id, DOI or Pith work id. As long as a title: text pages take a hub's DOI from its title, and
    /// nothing that fits the title may be refused for its DOI.
    /// </summary>
    public const int Identifier = 1_000;
    /// <summary>A hub's author list (Pith lists the first few authors).</summary>
    public const int Authors = 10_000;
    /// <summary>A short label: a hub's venue; a citing paper's primary category, verdict, and Pith's role and polarity labels.</summary>
    public const int Label = 200;
    /// <summary>A citing paper's citation context (a few sentences around the citation).</summary>
    public const int ContextText = 8_000;

    /// <summary>Refuses a page with a field over its limit.</summary>
    /// <exception cref="HubPageFormatException">Names the first field over its limit.</exception>
    public static HubPage Check(HubPage page)
    {
        CheckLength(page.Title, Title, "title");
        CheckLength(page.Abstract, Abstract, "abstract");
        CheckLength(page.TierLabel, TierLabel, "tier label");
        CheckLength(page.SourceId, Identifier, "work id");
        CheckLength(page.ArxivId, Identifier, "arXiv id");
        CheckLength(page.Doi, Identifier, "DOI");
        CheckLength(page.Authors, Authors, "author list");
        CheckLength(page.Venue, Label, "venue");
        if (page.CitingPapers.Count > CitingPapers)
        {
            throw new HubPageFormatException($"the page lists {page.CitingPapers.Count} citing papers; the limit is {CitingPapers}");
        }
        for (var i = 0; i < page.CitingPapers.Count; i++)
        {
            var paper = page.CitingPapers[i];
            CheckLength(paper.Title, Title, $"citing paper {i + 1}'s title");
            CheckLength(paper.Summary ?? "", Summary, $"citing paper {i + 1}'s summary");
            CheckLength(paper.ArxivId, Identifier, $"citing paper {i + 1}'s arXiv id");
            CheckLength(paper.PrimaryCategory, Label, $"citing paper {i + 1}'s primary category");
            CheckLength(paper.Verdict, Label, $"citing paper {i + 1}'s verdict");
            CheckLength(paper.ContextText ?? "", ContextText, $"citing paper {i + 1}'s context text");
            CheckLength(paper.SourceRole, Label, $"citing paper {i + 1}'s Pith role");
            CheckLength(paper.SourcePolarity, Label, $"citing paper {i + 1}'s Pith polarity");
        }
        return page;
    }

    private static void CheckLength(string value, int limit, string field)
    {
        if (value.Length > limit)
        {
            throw new HubPageFormatException($"the {field} is {value.Length} characters; the limit is {limit}");
        }
    }
}
