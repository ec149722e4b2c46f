using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// The kinds of line a page is made of, each read through <see cref="HubPageParser.Parse"/>. A line the parser
/// skips (a header, an ignorable line) is put after the title, before the count: read as ordinary text it
/// would become the title.
/// </summary>
public class SkippedLineTests
{
    private const string Header = "pith. sign in";

    [Theory]
    [InlineData(Header)]
    [InlineData("PITH. machine review for the scientific record. SIGN IN")]
    [InlineData("Method reference 78% of classified citations")]
    [InlineData("Tool reference 12.5% of classified citations.")]
    [InlineData("Polarity classification is still indexing.")]
    [InlineData("Polarity classification is still indexing")]
    public void Parse_skips_a_header_or_ignorable_line_between_the_title_and_the_count(string line)
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", line, "3 Pith papers cite this work."));

        Assert.Equal("A Hub Title", page.Title);
    }

    [Fact]
    public void Parse_skips_a_header_of_exactly_120_characters()
    {
        var header = HeaderOfLength(120);

        var page = HubPageParser.Parse(PageText.Of("A Hub Title", header, "3 Pith papers cite this work."));

        Assert.Equal("A Hub Title", page.Title);
    }

    [Theory]
    [InlineData("Please sign in")]
    [InlineData("pith. the machine review of the scientific record")]
    [InlineData("sign in pith.")]
    [InlineData("Method reference 78% of classified citations and more")]
    [InlineData("Polarity classification is indexing.")]
    public void Parse_reads_a_line_that_only_resembles_a_header_or_an_ignorable_line_as_text(string line)
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", line, "3 Pith papers cite this work."));

        Assert.Equal(line, page.Title);
    }

    [Fact]
    public void Parse_reads_a_header_like_line_of_121_characters_as_text()
    {
        // A header is short site chrome; a long line that happens to start and end like one is content.
        var line = HeaderOfLength(121);

        var page = HubPageParser.Parse(PageText.Of("A Hub Title", line, "3 Pith papers cite this work."));

        Assert.Equal(line, page.Title);
    }

    private static string HeaderOfLength(int length)
    {
        var header = "pith. " + new string('x', length - "pith. ".Length - " sign in".Length) + " sign in";
        Assert.Equal(length, header.Length);
        return header;
    }
}

/// <summary>A citing paper's metadata line, read in the citing papers explorer.</summary>
public class MetadataLineTests
{
    private const string Title = "A Citing Paper";
    private const string Summary = "It cites the hub.";

    [Fact]
    public void Parse_reads_every_part_of_a_metadata_line()
    {
        var paper = ParseEntry("cs.LG \u00B7 2026-05-18 \u00B7 unverdicted \u00B7 novelty 7.5 \u00B7 12 refs");

        Assert.Equal((Title, Summary), (paper.Title, paper.Summary));
        Assert.Equal("cs.LG", paper.PrimaryCategory);
        Assert.Equal(new DateOnly(2026, 5, 18), paper.SubmittedDate);
        Assert.Equal("unverdicted", paper.Verdict);
        Assert.Equal(7.5f, paper.NoveltyScore);
        Assert.Equal(12, paper.ReferenceCount);
    }

    [Theory]
    [InlineData("cs.LG \u00B7 2026-05-18", "cs.LG", "2026-05-18", "", null, null)]
    [InlineData("hep-th \u00B7 novelty 6.5", "hep-th", null, "", 6.5f, null)]
    [InlineData("q-bio.NC \u00B7 1 ref \u00B7 2026-05-18", "q-bio.NC", "2026-05-18", "", null, 1)]
    [InlineData("cs.CL \u00B7 MAJOR_REVISION \u00B7 2026-01-31", "cs.CL", "2026-01-31", "MAJOR_REVISION", null, null)]
    [InlineData("cond-mat.mes-hall \u00B7 novelty 10 \u00B7 minor revision", "cond-mat.mes-hall", null, "minor revision", 10f, null)]
    public void Parse_reads_a_metadata_line_that_gives_a_date_or_a_novelty_score_in_any_order(
        string line, string category, string? date, string verdict, float? novelty, int? refs)
    {
        var paper = ParseEntry(line);

        Assert.Equal((Title, Summary), (paper.Title, paper.Summary));
        Assert.Equal(category, paper.PrimaryCategory);
        Assert.Equal(date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), paper.SubmittedDate);
        Assert.Equal(verdict, paper.Verdict);
        Assert.Equal(novelty, paper.NoveltyScore);
        Assert.Equal(refs, paper.ReferenceCount);
    }

    [Fact]
    public void Parse_reads_a_metadata_line_whose_category_ends_at_the_40th_character()
    {
        var category = new string('a', 39);

        var paper = ParseEntry(category + " \u00B7 2026-05-18");

        Assert.Equal(category, paper.PrimaryCategory);
        Assert.Equal(Summary, paper.Summary);
    }

    [Theory]
    [InlineData("cs.LG \u00B7 ACCEPT \u00B7 2 refs")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 2026-05-19")]
    [InlineData("cs.LG \u00B7 novelty 7.0 \u00B7 novelty 6.0")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 2 refs \u00B7 3 refs")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 ACCEPT \u00B7 REJECT")]
    [InlineData("cs.LG \u00B7 2026-02-30 \u00B7 novelty 7.0")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 novelty 1000")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 1234567 refs")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 ACCEPT \u00B7 novelty 7.0 \u00B7")]
    [InlineData("Bad Category \u00B7 2026-05-18")]
    [InlineData("\u00B7 2026-05-18 \u00B7 novelty 7.0")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \u00B7 2026-05-18")]
    public void Parse_reads_a_line_with_a_part_a_metadata_line_cannot_hold_as_the_summary(string line)
    {
        // Each line names no date and no novelty score, or holds a part that is not one of a metadata line's
        // (a second date, score, count or verdict; an impossible date; a category that is not one or is over 40 characters).
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", Title, line, "- Another Paper"));

        var paper = page.CitingPapers[0];
        Assert.Equal((Title, line), (paper.Title, paper.Summary));
        Assert.Equal("", paper.PrimaryCategory);
    }

    [Fact]
    public void Parse_keeps_a_complete_metadata_line_that_ends_the_page()
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", Title, "cs.LG \u00B7 2026-05-18 \u00B7 ACCEPT \u00B7 novelty 7.0"));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("cs.LG", new DateOnly(2026, 5, 18), "ACCEPT", 7.0f), (paper.PrimaryCategory, paper.SubmittedDate, paper.Verdict, paper.NoveltyScore));
        Assert.Null(paper.Summary);
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 ACCEPT")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 novelty 7.0")]
    [InlineData("cs.LG \u00B7 ACCEPT \u00B7 novelty 7.0")]
    [InlineData("cs.LG \u00B7 2026-05-18 \u00B7 ACCEPT \u00B7 novelty 7.0 \u00B7 2 re")]
    [InlineData("cs.LG \u00B7 unver")]
    public void Parse_ignores_a_metadata_line_cut_off_at_the_end_of_the_page_and_warns(string line)
    {
        // The page's last line may be cut anywhere: without a date, a verdict and a novelty score, or with a part
        // cut short, it is a metadata line cut off, not a summary.
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", Title, line));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal((Title, null, "", null), (paper.Title, paper.Summary, paper.PrimaryCategory, paper.SubmittedDate));
        var warning = Assert.Single(page.Warnings);
        Assert.Equal($"page ends mid-entry: the metadata line of '{Title}' is cut off and was ignored", warning);
    }

    private static PageCitingPaper ParseEntry(string metadataLine)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", Title, metadataLine, Summary));
        Assert.Empty(page.Warnings);
        return Assert.Single(page.CitingPapers);
    }
}

/// <summary>Whether the page's last line ends a sentence decides if a summary there was cut off.</summary>
public class SentenceEndTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("!")]
    [InlineData("?")]
    [InlineData("It cites the hub.")]
    [InlineData("It cites the hub (as a baseline).")]
    [InlineData("It cites the hub (as a baseline.)")]
    [InlineData("It cites \"the hub.\"")]
    [InlineData("It cites the hub?\u201D\u00BB")]
    [InlineData("It cites [the hub!]}'\u2019")]
    public void Parse_keeps_a_summary_ending_the_page_when_it_ends_a_sentence(string summary)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "A Citing Paper", summary));

        Assert.Equal(summary, Assert.Single(page.CitingPapers).Summary);
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("a")]
    [InlineData(")")]
    [InlineData("\")")]
    [InlineData("It cites the hub")]
    [InlineData("It cites the hub (as a baseline)")]
    [InlineData("It cites. the hub")]
    public void Parse_drops_a_summary_ending_the_page_mid_sentence_and_warns(string summary)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "A Citing Paper", summary));

        Assert.Null(Assert.Single(page.CitingPapers).Summary);
        Assert.Contains("cut off", Assert.Single(page.Warnings), StringComparison.Ordinal);
    }
}
