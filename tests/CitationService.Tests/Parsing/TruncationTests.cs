using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

public class TruncationTests
{
    [Fact]
    public void Parse_drops_an_explorer_summary_cut_off_at_the_end_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "-", "First Paper", "First summary.", "-", "Second Paper", "Second summary is cut o"));

        Assert.Equal(2, page.CitingPapers.Count);
        Assert.Null(page.CitingPapers[1].Summary);
        var warning = Assert.Single(page.Warnings);
        Assert.Equal("page ends mid-entry: summary of 'Second Paper' is cut off and was not kept", warning);
    }

    [Theory]
    [InlineData("It ends properly.")]
    [InlineData("It asks a question?")]
    [InlineData("It ends in a quote.\"")]
    [InlineData("It ends in brackets (see above.)")]
    public void Parse_keeps_a_last_summary_that_ends_a_sentence(string summary)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "A Paper", summary));

        Assert.Equal(summary, page.CitingPapers[0].Summary);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_completes_a_cut_off_explorer_summary_from_its_representative_copy()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "The full summary of the paper.",
            "citing papers explorer", "-", "A Paper", "The full summary of th"));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("The full summary of the paper.", paper.Summary);
        Assert.True(paper.Representative);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_ignores_a_cut_off_metadata_line_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", "cs.LG · 2026-05-08 · unverdicted · novelty 7.0", "Its summary.",
            "Second Paper", "cs.LG · 2026-05-07 · unver"));

        Assert.Equal(2, page.CitingPapers.Count);
        var second = page.CitingPapers[1];
        Assert.Equal("Second Paper", second.Title);
        Assert.Equal("", second.PrimaryCategory);
        Assert.Null(second.SubmittedDate);
        Assert.Contains(page.Warnings, w => w.Contains("metadata", StringComparison.Ordinal) && w.Contains("Second Paper", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_keeps_an_explorer_title_ending_the_page_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "First Paper", "First summary.", "-", "Second Paper"));

        Assert.Equal(["First Paper", "Second Paper"], page.CitingPapers.Select(p => p.Title));
        Assert.Contains(page.Warnings, w => w.Contains("Second Paper", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_keeps_a_representative_title_ending_the_page_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", "cs.LG · 2026-05-08 · unverdicted · novelty 7.0", "Its summary.", "Second Paper"));

        Assert.Equal(["First Paper", "Second Paper"], page.CitingPapers.Select(p => p.Title));
        Assert.Contains(page.Warnings, w => w.Contains("Second Paper", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_warns_when_the_page_ends_at_a_section_marker()
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer"));

        Assert.Empty(page.CitingPapers);
        Assert.Contains(page.Warnings, w => w.Contains("citing papers explorer", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_keeps_a_cut_off_abstract_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact("abstract", "The abstract starts but never fini"));

        Assert.Equal("The abstract starts but never fini", page.Abstract);
        Assert.Contains(page.Warnings, w => w.Contains("abstract", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_drops_a_cut_off_representative_summary_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact("representative citing papers", "A complete summary.", "A summary that is cut"));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("A complete summary.", paper.Summary);
        Assert.Contains(page.Warnings, w => w.Contains("cut off", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_never_throws_anything_but_a_format_exception_for_any_prefix_of_a_seed()
    {
        // Every cut of the short seeds; the long one in steps (a prime, so cuts land everywhere in a line).
        foreach (var (seed, step) in new[] { (SeedPages.Npo, 31), (SeedPages.Pythia, 1), (SeedPages.RawArxiv, 1), (SeedPages.ToEach, 1) })
        {
            var text = SeedPages.Text(seed);
            for (var length = 0; length <= text.Length; length += step)
            {
                ParsesOrRejects(text[..length]);
            }
        }
    }

    internal static void ParsesOrRejects(string text)
    {
        try
        {
            var page = HubPageParser.Parse(text);
            Assert.False(string.IsNullOrWhiteSpace(page.Title));
        }
        catch (HubPageFormatException)
        {
        }
    }
}
