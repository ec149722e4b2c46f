using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// <see cref="PageLimits.Check"/> on pages built directly: a text page cannot carry every field (its tier label is one
/// of a few fixed lines, its citing papers have no arXiv id), and each limit is checked at the limit and one over it.
/// </summary>
public class PageLimitsTests
{
    private static readonly PageCitingPaper Paper = new() { Title = "A Citing Paper", Summary = "It cites the hub." };

    // A paper with neither summary nor context text: Check reads both as empty.
    private static readonly PageCitingPaper BarePaper = new() { Title = "A Bare Paper" };

    private static readonly HubPage Page = new() { Title = "A Hub Title", CitingPapers = [Paper, BarePaper] };

    [Theory]
    [InlineData("title", PageLimits.Title)]
    [InlineData("abstract", PageLimits.Abstract)]
    [InlineData("tier label", PageLimits.TierLabel)]
    [InlineData("work id", PageLimits.Identifier)]
    [InlineData("arXiv id", PageLimits.Identifier)]
    [InlineData("DOI", PageLimits.Identifier)]
    [InlineData("author list", PageLimits.Authors)]
    [InlineData("venue", PageLimits.Label)]
    public void Check_refuses_a_hub_field_one_character_over_its_limit_naming_the_field(string field, int limit)
    {
        var ex = Assert.Throws<HubPageFormatException>(() => PageLimits.Check(WithHubField(field, limit + 1)));

        Assert.Equal($"the {field} is {limit + 1} characters; the limit is {limit}", ex.Message);
    }

    [Theory]
    [InlineData("title", PageLimits.Title)]
    [InlineData("summary", PageLimits.Summary)]
    [InlineData("arXiv id", PageLimits.Identifier)]
    [InlineData("primary category", PageLimits.Label)]
    [InlineData("verdict", PageLimits.Label)]
    [InlineData("context text", PageLimits.ContextText)]
    [InlineData("Pith role", PageLimits.Label)]
    [InlineData("Pith polarity", PageLimits.Label)]
    public void Check_refuses_a_citing_paper_field_one_character_over_its_limit_naming_the_paper_and_the_field(string field, int limit)
    {
        // The second paper, so the message's paper number is its position counted from one.
        var page = Page with { CitingPapers = [Paper, WithPaperField(field, limit + 1)] };

        var ex = Assert.Throws<HubPageFormatException>(() => PageLimits.Check(page));

        Assert.Equal($"the citing paper 2's {field} is {limit + 1} characters; the limit is {limit}", ex.Message);
    }

    [Fact]
    public void Check_returns_the_page_when_every_field_is_exactly_at_its_limit()
    {
        string[] hubFields = ["title", "abstract", "tier label", "work id", "arXiv id", "DOI", "author list", "venue"];
        string[] paperFields = ["title", "summary", "arXiv id", "primary category", "verdict", "context text", "Pith role", "Pith polarity"];
        var page = Page;
        foreach (var field in hubFields)
        {
            page = WithHubField(field, HubLimit(field), page);
        }
        var paper = Paper;
        foreach (var field in paperFields)
        {
            paper = WithPaperField(field, PaperLimit(field), paper);
        }
        page = page with { CitingPapers = [paper, BarePaper] };

        Assert.Same(page, PageLimits.Check(page));
    }

    [Fact]
    public void Check_returns_a_page_listing_exactly_the_most_citing_papers_a_page_may_list()
    {
        var page = Page with { CitingPapers = Enumerable.Repeat(Paper, PageLimits.CitingPapers).ToList() };

        Assert.Same(page, PageLimits.Check(page));
    }

    [Fact]
    public void Check_refuses_a_page_listing_one_citing_paper_more_than_the_limit()
    {
        var page = Page with { CitingPapers = Enumerable.Repeat(Paper, PageLimits.CitingPapers + 1).ToList() };

        var ex = Assert.Throws<HubPageFormatException>(() => PageLimits.Check(page));

        Assert.Equal($"the page lists {PageLimits.CitingPapers + 1} citing papers; the limit is {PageLimits.CitingPapers}", ex.Message);
    }

    private static HubPage WithHubField(string field, int length, HubPage? page = null)
    {
        var value = new string('x', length);
        page ??= Page;
        return field switch
        {
            "title" => page with { Title = value },
            "abstract" => page with { Abstract = value },
            "tier label" => page with { TierLabel = value },
            "work id" => page with { SourceId = value },
            "arXiv id" => page with { ArxivId = value },
            "DOI" => page with { Doi = value },
            "author list" => page with { Authors = value },
            "venue" => page with { Venue = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }

    private static int HubLimit(string field) => field switch
    {
        "title" => PageLimits.Title,
        "abstract" => PageLimits.Abstract,
        "tier label" => PageLimits.TierLabel,
        "author list" => PageLimits.Authors,
        "venue" => PageLimits.Label,
        _ => PageLimits.Identifier,
    };

    private static PageCitingPaper WithPaperField(string field, int length, PageCitingPaper? paper = null)
    {
        var value = new string('x', length);
        paper ??= Paper;
        return field switch
        {
            "title" => paper with { Title = value },
            "summary" => paper with { Summary = value },
            "arXiv id" => paper with { ArxivId = value },
            "primary category" => paper with { PrimaryCategory = value },
            "verdict" => paper with { Verdict = value },
            "context text" => paper with { ContextText = value },
            "Pith role" => paper with { SourceRole = value },
            "Pith polarity" => paper with { SourcePolarity = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
    }

    private static int PaperLimit(string field) => field switch
    {
        "title" => PageLimits.Title,
        "summary" => PageLimits.Summary,
        "arXiv id" => PageLimits.Identifier,
        "context text" => PageLimits.ContextText,
        _ => PageLimits.Label,
    };
}
