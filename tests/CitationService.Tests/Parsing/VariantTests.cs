using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

public class TierAndCountTests
{
    [Fact]
    public void Parse_reads_super_hub_canonical_reference_with_a_count_split_over_two_lines()
    {
        var page = HubPageParser.Parse(PageText.Of(
            "pith. machine review for the scientific record. sign in",
            "super hub Canonical reference",
            "Attention Is All You Need",
            "Canonical reference. 86% of citing Pith papers cite this work as background.",
            "1,234",
            "Pith papers citing it",
            "citing papers explorer",
            "-",
            "A Citing Paper",
            "It cites the hub."));

        Assert.Equal("super hub Canonical reference", page.TierLabel);
        Assert.Equal("Attention Is All You Need", page.Title);
        Assert.Equal(1234, page.StatedCitingCount);
    }

    [Fact]
    public void Parse_reads_a_split_count_right_after_the_title()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "", "57", "", "Pith papers citing it"));

        Assert.Equal("A Hub Title", page.Title);
        Assert.Equal(57, page.StatedCitingCount);
    }

    [Theory]
    [InlineData("1 Pith paper cite this work.")]
    [InlineData("1 Pith paper cites this work.")]
    [InlineData("1 Pith paper cite this work. Polarity classification is still indexing.")]
    public void Parse_returns_stated_count_when_count_sentence_is_singular(string sentence)
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", sentence));

        Assert.Equal(1, page.StatedCitingCount);
    }

    [Fact]
    public void Parse_reads_a_count_with_thousands_separators()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "12,345 Pith papers cite this work."));

        Assert.Equal(12345, page.StatedCitingCount);
    }

    [Fact]
    public void Parse_leaves_the_count_null_when_only_a_reference_share_sentence_is_given()
    {
        var page = HubPageParser.Parse(PageText.Of(
            "hub Canonical reference",
            "A Hub Title",
            "Canonical reference. 86% of citing Pith papers cite this work as background."));

        Assert.Equal("A Hub Title", page.Title);
        Assert.Equal("hub Canonical reference", page.TierLabel);
        Assert.Null(page.StatedCitingCount);
    }

    [Fact]
    public void Parse_skips_classified_share_and_indexing_lines()
    {
        var page = HubPageParser.Parse(PageText.Of(
            "A Hub Title",
            "Tool reference. 78% of classified Pith citations use this work as a method, library, or software dependency, not as a substantive claim.",
            "30 Pith papers citing it",
            "Method reference 78% of classified citations",
            "Polarity classification is still indexing.",
            "abstract",
            "An abstract."));

        Assert.Equal(30, page.StatedCitingCount);
        Assert.Equal("An abstract.", page.Abstract);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_first_of_two_different_counts_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "27 Pith papers cite this work.", "30 Pith papers citing it"));

        Assert.Equal(27, page.StatedCitingCount);
        Assert.Single(page.Warnings);
    }

    [Fact]
    public void Parse_ignores_a_count_too_large_for_an_int_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "99,999,999,999 Pith papers cite this work."));

        Assert.Null(page.StatedCitingCount);
        Assert.Single(page.Warnings);
    }

    [Fact]
    public void Parse_leaves_the_tier_label_empty_when_the_page_has_none()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "3 Pith papers cite this work."));

        Assert.Equal("", page.TierLabel);
    }
}

public class TitleTests
{
    [Fact]
    public void Parse_accepts_title_resolution_pending_as_a_title()
    {
        var page = HubPageParser.Parse(PageText.Of("hub", "Title resolution pending", "4 Pith papers cite this work."));

        Assert.Equal("Title resolution pending", page.Title);
    }

    [Fact]
    public void Parse_collapses_whitespace_in_the_title()
    {
        var page = HubPageParser.Parse(PageText.Of("  Sparse \t Autoencoders   Re- visited ", "4 Pith papers cite this work."));

        Assert.Equal("Sparse Autoencoders Revisited", page.Title);
    }

    [Theory]
    [InlineData("arXiv preprint arXiv:2401.01234v2", "2401.01234")]
    [InlineData("arXiv preprint arXiv: 2310.10683 , year=", "2310.10683")]
    [InlineData("Some paper, arXiv:hep-th/9901001", "hep-th/9901001")]
    [InlineData("A Plain Title With 2024.12345 In It", "")]
    [InlineData("Some paper, doi:10.48550/arXiv.2401.01234", "2401.01234")]
    [InlineData("https://arxiv.org/abs/1706.03762", "1706.03762")]
    public void Parse_reads_the_arxiv_id_a_raw_title_gives(string title, string arxivId)
    {
        var page = HubPageParser.Parse(PageText.Of(title, "4 Pith papers cite this work."));

        Assert.Equal(title, page.Title);
        Assert.Equal(arxivId, page.ArxivId);
    }

    [Fact]
    public void Parse_reads_the_doi_a_raw_title_gives()
    {
        var page = HubPageParser.Parse(PageText.Of("Proc. Something, doi:10.1145/3292500.3330701.", "4 Pith papers cite this work."));

        Assert.Equal("10.1145/3292500.3330701", page.Doi);
    }

    [Fact]
    public void Parse_takes_the_title_before_the_first_section_when_there_is_no_count()
    {
        var page = HubPageParser.Parse(PageText.Of("A Hub Title", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal("A Hub Title", page.Title);
        Assert.Null(page.StatedCitingCount);
        Assert.Single(page.CitingPapers);
    }
}

public class SummaryCountTests
{
    [Fact]
    public void Parse_reads_role_counts_in_printed_order()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 86 baseline 3 method 3 dataset 1 other 1", "citation-polarity summary"));

        Assert.Equal(
            [new StatedLabelCount("background", 86), new StatedLabelCount("baseline", 3), new StatedLabelCount("method", 3),
             new StatedLabelCount("dataset", 1), new StatedLabelCount("other", 1)],
            page.StatedRoleCounts);
        Assert.Empty(page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_reads_polarity_counts_when_the_polarity_summary_has_pairs()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 2", "citation-polarity summary", "neutral 1 supporting 1"));

        Assert.Equal([new StatedLabelCount("neutral", 1), new StatedLabelCount("supporting", 1)], page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_does_not_double_count_a_roles_block_after_a_role_summary()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 2", "citation-polarity summary",
            "roles", "background 2polarities", "background 2representative citing papers", "A summary."));

        Assert.Equal([new StatedLabelCount("background", 2)], page.StatedRoleCounts);
        Assert.Equal([new StatedLabelCount("background", 2)], page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_keeps_odd_polarity_labels_as_printed()
    {
        var page = HubPageParser.Parse(PageText.Compact("roles", "method 1 dataset 1polarities", "unclear 2citing papers explorer"));

        Assert.Equal([new StatedLabelCount("method", 1), new StatedLabelCount("dataset", 1)], page.StatedRoleCounts);
        Assert.Equal([new StatedLabelCount("unclear", 2)], page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_reads_counts_with_thousands_separators_in_the_role_summary()
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "background 1,204 method 37"));

        Assert.Equal([new StatedLabelCount("background", 1204), new StatedLabelCount("method", 37)], page.StatedRoleCounts);
    }
}

public class SectionTests
{
    [Fact]
    public void Parse_ignores_facet_lines_with_their_pairs()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "fields cs.CL 1", "years 2026 1", "verdicts ACCEPT 1",
            "representative citing papers", "Only summary here."));

        Assert.Equal("A Hub Title", page.Title);
        Assert.Empty(page.StatedRoleCounts);
        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("Only summary here.", paper.Summary);
    }

    [Fact]
    public void Parse_ignores_facet_blocks_with_glued_markers()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 1", "fields", "cs.CL 1years", "2026 1verdicts", "ACCEPT 1citing papers explorer",
            "-", "A Citing Paper", "It does things."));

        Assert.Equal([new StatedLabelCount("background", 1)], page.StatedRoleCounts);
        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("A Citing Paper", paper.Title);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_skips_claims_ledger_bullets()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "claims ledger", "• The method forgets 50% of the data.", "• It stays stable.", "hub tools",
            "citing papers explorer", "-", "A Citing Paper", "It does things."));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("A Citing Paper", paper.Title);
        Assert.Equal("", page.Abstract);
    }

    [Fact]
    public void Parse_joins_abstract_lines_with_single_spaces()
    {
        var page = HubPageParser.Parse(PageText.Compact("abstract", "First part of the abstract,", "", "second part.", "hub tools"));

        Assert.Equal("First part of the abstract, second part.", page.Abstract);
    }

    [Fact]
    public void Parse_reads_dash_title_entries_without_summaries()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "- First Paper", "- Second Paper", "-", "Third Paper", "Its summary."));

        Assert.Equal(["First Paper", "Second Paper", "Third Paper"], page.CitingPapers.Select(p => p.Title));
        Assert.Equal([null, null, "Its summary."], page.CitingPapers.Select(p => p.Summary));
    }

    [Fact]
    public void Parse_reads_an_explorer_title_without_a_summary_before_the_next_separator()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "-", "First Paper", "-", "Second Paper", "Its summary."));

        Assert.Null(page.CitingPapers[0].Summary);
        Assert.Equal("Its summary.", page.CitingPapers[1].Summary);
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_merges_representative_metadata_without_refs_onto_the_explorer_entry()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers",
            "Second Paper",
            "cs.CL · 2026-05-18 · ACCEPT · novelty 6.5",
            "Second summary.",
            "citing papers explorer",
            "-", "First Paper", "First summary.",
            "-", "Second  Paper", "Second summary."));

        Assert.Equal(2, page.CitingPapers.Count);
        var second = page.CitingPapers[1];
        Assert.Equal("Second Paper", second.Title);
        Assert.True(second.Representative);
        Assert.Equal("cs.CL", second.PrimaryCategory);
        Assert.Equal(new DateOnly(2026, 5, 18), second.SubmittedDate);
        Assert.Equal("ACCEPT", second.Verdict);
        Assert.Equal(6.5f, second.NoveltyScore);
        Assert.Null(second.ReferenceCount);
        Assert.False(page.CitingPapers[0].Representative);
    }

    [Fact]
    public void Parse_appends_representative_papers_missing_from_the_explorer()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers",
            "Only Representative",
            "cs.LG · 2026-01-02 · unverdicted · novelty 5.0",
            "Its summary.",
            "citing papers explorer",
            "- Explorer Paper"));

        Assert.Equal(["Explorer Paper", "Only Representative"], page.CitingPapers.Select(p => p.Title));
    }

    [Fact]
    public void Parse_keeps_a_representative_summary_without_a_title_and_warns()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "A summary nobody titled.",
            "citing papers explorer", "-", "A Citing Paper", "Another summary."));

        Assert.Equal(2, page.CitingPapers.Count);
        var untitled = page.CitingPapers[1];
        Assert.Equal("", untitled.Title);
        Assert.Equal("A summary nobody titled.", untitled.Summary);
        Assert.True(untitled.Representative);
        Assert.Contains(page.Warnings, w => w.Contains("no title", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_reads_a_full_rendering_with_blank_lines_like_the_compact_one()
    {
        var compact = SeedPages.Text(SeedPages.Npo);
        var full = "pith. sign in\n\n" + compact.Replace("\n", "\n\n", StringComparison.Ordinal) + "\n\n";

        var expected = HubPageParser.Parse(compact);
        var page = HubPageParser.Parse(full);

        Assert.Equal(expected.Title, page.Title);
        Assert.Equal(expected.Abstract, page.Abstract);
        Assert.Equal(expected.StatedCitingCount, page.StatedCitingCount);
        Assert.Equal(expected.CitingPapers, page.CitingPapers);
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Parse_normalises_line_endings(string newline)
    {
        var text = SeedPages.Text(SeedPages.ToEach);

        var page = HubPageParser.Parse(text.Replace("\n", newline, StringComparison.Ordinal));

        Assert.Equal(HubPageParser.Parse(text).CitingPapers, page.CitingPapers);
        Assert.Equal("To each (textual sequence) its own: Improving memorized-data unlearning in large language models", page.Title);
    }
}
