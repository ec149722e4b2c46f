using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// The text reader's warnings word for word, and what it keeps in each case: repeated sections, a page that
/// ends at a marker or inside a section, counts stated twice or out of range, representative entries it
/// cannot place. The pages are the seeds or the compact rendering with real lines changed.
/// </summary>
public class TextPageWarningTests
{
    private const string Metadata = "cs.LG · 2026-05-08 · unverdicted · novelty 7.0";

    [Fact]
    public void Parse_keeps_the_first_of_a_repeated_abstract_and_warns_once()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "abstract", "The first abstract.", "abstract", "A second abstract.", "abstract", "A third abstract.",
            "citing papers explorer", "- A Citing Paper"));

        Assert.Equal("The first abstract.", page.Abstract);
        Assert.Equal(["section 'abstract' appears more than once; the first was kept"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_counts_of_the_first_of_a_repeated_roles_block_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "roles", "background 1", "roles", "method 5", "roles method 6", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("background", 1)], page.StatedRoleCounts);
        Assert.Equal(["section 'roles' appears more than once; the first was kept"], page.Warnings);
    }

    [Fact]
    public void Parse_merges_the_entries_of_a_repeated_explorer_and_warns()
    {
        var text = SeedPages.Text(SeedPages.ToEach).TrimEnd('\n')
            + "\ncitation-role summary\nbackground 2\nciting papers explorer\n-\nA Fourth Paper\nIts summary.";

        var page = HubPageParser.Parse(text);

        Assert.Equal(4, page.CitingPapers.Count);
        Assert.Equal("A Fourth Paper", page.CitingPapers[3].Title);
        // The seed's role summary is empty; its roles block gives the counts, and the repeated summary's are ignored.
        Assert.Equal([new StatedLabelCount("background", 1)], page.StatedRoleCounts);
        Assert.Equal(
        [
            "section 'citation-role summary' appears more than once; the first was kept",
            "section 'citing papers explorer' appears more than once; its entries were merged",
        ], page.Warnings);
    }

    [Fact]
    public void Parse_merges_the_entries_of_a_repeated_representative_section_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, "First summary.",
            "representative citing papers", "Second Paper", Metadata, "Second summary.",
            "citing papers explorer", "- First Paper"));

        Assert.Equal(["First Paper", "Second Paper"], page.CitingPapers.Select(p => p.Title));
        Assert.All(page.CitingPapers, p => Assert.True(p.Representative));
        Assert.Equal(["section 'representative citing papers' appears more than once; its entries were merged"], page.Warnings);
    }

    [Theory]
    [InlineData("representative citing papers")]
    [InlineData("citing papers explorer")]
    public void Parse_warns_that_the_section_is_missing_when_the_page_ends_at_its_marker(string marker)
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "background 1", marker));

        Assert.Equal([$"page ends at the '{marker}' marker: the section is missing"], page.Warnings);
    }

    [Theory]
    [InlineData("abstract")]
    [InlineData("hub tools")]
    public void Parse_does_not_warn_when_the_page_ends_at_a_marker_of_a_section_it_does_not_need(string marker)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "- A Citing Paper", marker));

        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("citation-role summary")]
    [InlineData("roles")]
    public void Parse_keeps_the_counts_of_a_page_that_ends_in_a_counts_section_and_warns(string marker)
    {
        var page = HubPageParser.Parse(PageText.Compact(marker, "background 2 method 1"));

        Assert.Equal([new StatedLabelCount("background", 2), new StatedLabelCount("method", 1)], page.StatedRoleCounts);
        Assert.Equal([$"page ends in the '{marker}' section: its counts may be incomplete"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_an_abstract_that_ends_the_page_mid_sentence_and_warns_with_the_reason()
    {
        var page = HubPageParser.Parse(PageText.Compact("abstract", "The abstract starts but never fini"));

        Assert.Equal(["page ends mid-abstract: the abstract is cut off (kept as far as it goes)"], page.Warnings);
    }

    [Fact]
    public void Parse_names_both_counts_when_a_page_states_two()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "27 Pith papers cite this work.", "30 Pith papers citing it", "27 Pith papers cite this work."));

        Assert.Equal(27, page.StatedCitingCount);
        Assert.Equal(["the page states two citing counts (27 and 30); the first was kept"], page.Warnings);
    }

    [Fact]
    public void Parse_names_a_count_out_of_range_and_keeps_a_later_one()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "99,999,999,999 Pith papers cite this work.", "30 Pith papers citing it"));

        Assert.Equal(30, page.StatedCitingCount);
        Assert.Equal(["the stated count 99,999,999,999 is out of range and was ignored"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_first_tier_label()
    {
        var page = HubPageParser.Parse(PageText.Of("Opening summary.", "hub Tool reference", "super hub", "A Hub Title", "3 Pith papers cite this work.", "mega hub"));

        Assert.Equal(("hub Tool reference", "A Hub Title"), (page.TierLabel, page.Title));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_quotes_a_representative_summary_it_cannot_place()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "A summary nobody titled.",
            "citing papers explorer", "-", "A Citing Paper", "Another summary."));

        Assert.Equal(["representative summary 'A summary nobody titled.' has no title on the page"], page.Warnings);
    }

    [Fact]
    public void Parse_ignores_a_representative_metadata_line_before_any_title_and_quotes_it()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", Metadata, "Theoretical Limits of Language Model Alignment", Metadata, "Its summary.",
            "citing papers explorer", "- Theoretical Limits of Language Model Alignment"));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("cs.LG", "Its summary."), (paper.PrimaryCategory, paper.Summary));
        Assert.Equal([$"a metadata line without a title was ignored: '{Metadata}'"], page.Warnings);
    }

    [Fact]
    public void Parse_names_a_representative_title_that_ends_the_page()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, "Its summary.", "Second Paper"));

        Assert.Equal(["page ends after the title 'Second Paper': the rest of the entry is missing"], page.Warnings);
    }

    [Fact]
    public void Parse_quotes_a_cut_off_representative_summary_it_drops()
    {
        var page = HubPageParser.Parse(PageText.Compact("representative citing papers", "A complete summary.", "A summary that is cut"));

        Assert.Equal(
        [
            "page ends mid-entry: representative summary 'A summary that is cut' is cut off and was not kept",
            "representative summary 'A complete summary.' has no title on the page",
        ], page.Warnings);
    }

    [Fact]
    public void Parse_reads_a_count_split_over_two_lines_with_blank_lines_between_only_when_the_tail_follows()
    {
        var split = HubPageParser.Parse(PageText.Of("A Hub Title", "", "57", "", "", "Pith papers citing it", "citing papers explorer", "- A Citing Paper"));
        var notSplit = HubPageParser.Parse(PageText.Of("A Hub Title", "", "57", "", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal((57, "A Hub Title"), (split.StatedCitingCount, split.Title));
        Assert.Equal((null, "57"), (notSplit.StatedCitingCount, notSplit.Title));
    }

    [Theory]
    [InlineData("2 Pith papers citing it")]
    [InlineData("Canonical reference. 86% of citing Pith papers cite it as a foundation.")]
    [InlineData("hub")]
    [InlineData("Polarity classification is still indexing.")]
    public void Parse_does_not_warn_of_incomplete_counts_when_the_page_ends_with_a_line_read_outside_the_sections(string line)
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "background 2", line));

        Assert.Equal([new StatedLabelCount("background", 2)], page.StatedRoleCounts);
        Assert.Equal(2, page.StatedCitingCount);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_reads_a_bare_number_that_ends_the_page_as_a_line_of_its_section()
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "background 2", "57"));

        Assert.Equal([new StatedLabelCount("background", 2)], page.StatedRoleCounts);
        Assert.Equal(2, page.StatedCitingCount);
        Assert.Equal(["page ends in the 'citation-role summary' section: its counts may be incomplete"], page.Warnings);
    }
}
