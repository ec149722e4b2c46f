using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// How a line is read depending on where it stands: count sentences and tier labels are read only outside
/// the sections of free text, a counts section keeps only lines made entirely of pairs, and the title is the
/// last ordinary line before the count, whatever tier label comes between them.
/// </summary>
public class SectionLineTests
{
    private const string CountSentence = "3 Pith papers cite this work.";

    [Fact]
    public void Parse_keeps_a_line_that_reads_as_a_count_sentence_as_text_in_the_abstract_and_the_citing_paper_sections()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "abstract", "Three studies agree.", CountSentence,
            "representative citing papers", CountSentence,
            "citing papers explorer", "-", "A Citing Paper", CountSentence));

        Assert.Equal("Three studies agree. " + CountSentence, page.Abstract);
        Assert.Equal(2, page.StatedCitingCount);
        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("A Citing Paper", CountSentence, true), (paper.Title, paper.Summary, paper.Representative));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_ignores_a_line_in_a_counts_section_that_runs_from_pairs_into_prose()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 2 method 1", "background 5 of them say more",
            "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("background", 2), new StatedLabelCount("method", 1)], page.StatedRoleCounts);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_takes_the_title_from_before_a_tier_label_that_stands_between_it_and_the_count()
    {
        var page = HubPageParser.Parse(PageText.Of(
            "Opening summary of one citing paper.", "A Hub Title", "hub", CountSentence, "citing papers explorer", "- A Citing Paper"));

        Assert.Equal(("A Hub Title", "hub"), (page.Title, page.TierLabel));
    }
}
