using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// How listings become citing papers: explorer entries with and without <c>-</c> lines and their metadata,
/// a paper listed twice (what the later listing fills and what it leaves), the duplicate warning's example,
/// the cap on warnings, and the fields a page of each form leaves at their defaults.
/// </summary>
public class CitingPaperListingTests
{
    private const string Metadata = "cs.LG · 2026-05-08 · unverdicted · novelty 7.0";
    private const string OtherMetadata = "cs.CL · 2026-05-07 · ACCEPT · novelty 6.5";

    [Fact]
    public void Parse_reads_an_explorer_without_separator_lines_as_alternating_titles_and_summaries()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "Is your algorithm unlearning or untraining?", "Machine unlearning conflates two goals.",
            "Revisiting the Past: Data Unlearning with Model State History", "MSA performs data unlearning in LLMs."));

        Assert.Equal(
        [
            ("Is your algorithm unlearning or untraining?", "Machine unlearning conflates two goals."),
            ("Revisiting the Past: Data Unlearning with Model State History", "MSA performs data unlearning in LLMs."),
        ], page.CitingPapers.Select(p => (p.Title, p.Summary)));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_reads_the_metadata_line_of_an_explorer_entry_without_separator_lines()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "First Paper", Metadata, "First summary.", "Second Paper", OtherMetadata, "Second summary."));

        Assert.Equal([("First Paper", "cs.LG", "First summary."), ("Second Paper", "cs.CL", "Second summary.")],
            page.CitingPapers.Select(p => (p.Title, p.PrimaryCategory, p.Summary)));
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData("-|" + Metadata + "|First Paper|First summary.")]
    [InlineData("-|First Paper|" + Metadata + "|" + OtherMetadata + "|First summary.")]
    public void Parse_ignores_an_explorer_metadata_line_without_a_title_of_its_own_and_warns(string lines)
    {
        var explorer = lines.Split('|');
        var page = HubPageParser.Parse(PageText.Compact(["citing papers explorer", .. explorer]));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("First Paper", "First summary."), (paper.Title, paper.Summary));
        Assert.Equal(explorer.Contains(OtherMetadata) ? "cs.LG" : "", paper.PrimaryCategory);
        Assert.Equal(["a metadata line without a title in the citing papers explorer was ignored"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_first_listing_s_metadata_and_summary_and_takes_what_it_lacks_from_a_later_one()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer",
            "-", "First Paper", Metadata, "First summary.",
            "-", "Second Paper",
            "-", "FIRST PAPER", OtherMetadata, "Another summary.",
            "-", "Second  paper", OtherMetadata, "Second summary."));

        Assert.Equal(
        [
            ("First Paper", "cs.LG", "First summary."),
            ("Second Paper", "cs.CL", "Second summary."),
        ], page.CitingPapers.Select(p => (p.Title, p.PrimaryCategory, p.Summary)));
        Assert.Equal(["2 duplicate citing-paper listing(s) merged into the first one (e.g. 'FIRST PAPER')"], page.Warnings);
    }

    [Fact]
    public void Parse_keeps_an_explorer_entry_s_metadata_over_its_representative_copy_s()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", OtherMetadata, "First summary.",
            "citing papers explorer", "-", "First Paper", Metadata, "First summary."));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("cs.LG", true), (paper.PrimaryCategory, paper.Representative));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_merges_untitled_items_by_their_summary_and_quotes_the_summary_cut_at_80_characters()
    {
        var (prefix, first, _) = PithJsonReaderTests.CitersParts();
        var untitled = first.Replace("\"paper_title\":\"Multilingual Knowledge Transfer under Data Constraints via Lexical Interventions\"",
            "\"paper_title\":null", StringComparison.Ordinal);
        // The same summary as a title is another paper.
        var titled = "{\"paper_title\":\"LINK improves cross-lingual knowledge transfer via lexical substitutions in English pretraining data, yielding notable downstream gains and up to 2x training speedup across eight languages and five model sizes.\"}";

        var page = HubPageParser.Parse(prefix + untitled + "," + untitled.Replace("\"ref_count\":1", "\"ref_count\":2", StringComparison.Ordinal)
            + "," + titled + "]}");

        Assert.Equal(2, page.CitingPapers.Count);
        Assert.Equal(1, page.CitingPapers[0].ReferenceCount);
        Assert.Equal(
            ["1 duplicate citing-paper listing(s) merged into the first one (e.g. 'LINK improves cross-lingual knowledge transfer via lexical substitutions in E...')"],
            page.Warnings);
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(53, 51)]
    public void Parse_keeps_the_first_50_warnings_and_counts_the_rest(int skipped, int warnings)
    {
        var page = HubPageParser.Parse("{\"items\":[" + string.Concat(Enumerable.Repeat("1,", skipped)) + "{\"paper_title\":\"A\"}]}");

        Assert.Equal(warnings, page.Warnings.Count);
        Assert.Equal("item 50 is not an object and was skipped", page.Warnings[49]);
        if (skipped > 50)
        {
            Assert.Equal($"{skipped - 50} more warnings were left out", page.Warnings[50]);
        }
    }

    [Fact]
    public void Parse_leaves_a_text_page_s_work_fields_at_their_defaults()
    {
        var page = SeedPages.Parse(SeedPages.ToEach);

        Assert.True(page.DescribesHub);
        Assert.Equal(("", "", "", null), (page.SourceId, page.Authors, page.Venue, page.Year));
    }

    [Fact]
    public void Parse_leaves_a_json_page_s_role_and_polarity_counts_empty()
    {
        var page = HubPageParser.Parse(SeedPages.Json(SeedPages.CitersJson));

        Assert.Empty(page.StatedRoleCounts);
        Assert.Empty(page.StatedPolarityCounts);
    }

    [Theory]
    [InlineData("{\"paper_title\":\"summary:Foo\"},{\"one_line_summary\":\"Foo\"}")]
    [InlineData("{\"paper_title\":\"Foo\"},{\"one_line_summary\":\"title:Foo\"}")]
    public void Parse_does_not_merge_a_titled_item_with_an_untitled_one_whatever_their_text(string items)
    {
        var page = HubPageParser.Parse("{\"items\":[" + items + "]}");

        Assert.Equal(2, page.CitingPapers.Count);
        Assert.Empty(page.Warnings);
    }

    [Theory]
    [InlineData(80, false)]
    [InlineData(81, true)]
    public void Parse_quotes_page_text_of_up_to_80_characters_whole_in_a_warning(int length, bool cut)
    {
        var text = new string('x', length);

        var page = HubPageParser.Parse("{\"items\":[{\"paper_title\":\"A\",\"submitted_at\":\"" + text + "\"}]}");

        var quoted = cut ? new string('x', 77) + "..." : text;
        Assert.Equal($"item 1's submitted_at '{quoted}' is not a date and was ignored", Assert.Single(page.Warnings));
    }

    [Theory]
    [InlineData("-|-|First Paper|First summary.")]
    [InlineData("-|First Paper|First summary.|-")]
    public void Parse_drops_an_explorer_entry_with_nothing_between_its_separator_lines(string lines)
    {
        var page = HubPageParser.Parse(PageText.Compact(["citing papers explorer", .. lines.Split('|')]));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("First Paper", "First summary."), (paper.Title, paper.Summary));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_cut_off_summary_of_an_explorer_entry_whose_representative_copy_has_none()
    {
        // The representative copy of the first paper has a title and metadata but no summary; the explorer's copy
        // ends the page mid-sentence, so the paper has no summary and the page says it was cut off.
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, "Second Paper", OtherMetadata, "Second summary.",
            "citing papers explorer", "-", "First Paper", "First summary cut off mid"));

        Assert.Equal([("First Paper", (string?)null, true), ("Second Paper", "Second summary.", true)],
            page.CitingPapers.Select(p => (p.Title, p.Summary, p.Representative)));
        Assert.Equal(["page ends mid-entry: summary of 'First Paper' is cut off and was not kept"], page.Warnings);
    }

    [Fact]
    public void Parse_marks_a_paper_listed_twice_among_the_representatives_as_representative()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, "First summary.", "First Paper", Metadata, "First summary.",
            "citing papers explorer", "-", "First Paper", "First summary.", "-", "Second Paper", "Second summary."));

        Assert.Equal([("First Paper", true), ("Second Paper", false)], page.CitingPapers.Select(p => (p.Title, p.Representative)));
        Assert.Equal(["1 duplicate citing-paper listing(s) merged into the first one (e.g. 'First Paper')"], page.Warnings);
    }

    [Fact]
    public void Parse_leaves_the_json_only_fields_and_the_verdict_of_a_text_page_paper_without_metadata_empty()
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "First Paper", "First summary."));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("", "", "", "", ""), (paper.ArxivId, paper.PrimaryCategory, paper.Verdict, paper.SourceRole, paper.SourcePolarity));
        Assert.Equal((null, null, null, null), (paper.SubmittedAt, paper.LinkConfidence, paper.ContextText, paper.ContextCount));
    }

    [Fact]
    public void Parse_ends_an_explorer_entry_at_the_next_section_marker()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citing papers explorer", "-", "First Paper", "hub tools",
            "citing papers explorer", "Second Paper", "Second summary."));

        Assert.Equal([("First Paper", (string?)null), ("Second Paper", "Second summary.")],
            page.CitingPapers.Select(p => (p.Title, p.Summary)));
        Assert.Equal(["section 'citing papers explorer' appears more than once; its entries were merged"], page.Warnings);
    }

    [Fact]
    public void Parse_reads_separator_lines_in_the_representative_section_as_nothing()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "-", "First Paper", Metadata, "First summary.",
            "citing papers explorer", "- First Paper"));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal(("First Paper", "First summary.", "cs.LG", true), (paper.Title, paper.Summary, paper.PrimaryCategory, paper.Representative));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_reads_a_representative_entry_without_a_metadata_line_among_entries_with_one()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, "First summary.", "Second Paper", "Second summary.",
            "citing papers explorer", "- First Paper", "- Second Paper"));

        Assert.Equal([("First Paper", "First summary.", "cs.LG"), ("Second Paper", "Second summary.", "")],
            page.CitingPapers.Select(p => (p.Title, p.Summary, p.PrimaryCategory)));
        Assert.All(page.CitingPapers, p => Assert.True(p.Representative));
        Assert.Empty(page.Warnings);
    }

    [Fact]
    public void Parse_keeps_the_summary_after_a_repeated_representative_metadata_line_and_quotes_the_repeat()
    {
        // As in the explorer: the second metadata line is ignored, and the line after it is still the entry's summary.
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata, OtherMetadata, "First summary.",
            "Second Paper", Metadata, "Second summary.",
            "citing papers explorer", "- First Paper", "- Second Paper"));

        Assert.Equal([("First Paper", "First summary.", "cs.LG", true), ("Second Paper", "Second summary.", "cs.LG", true)],
            page.CitingPapers.Select(p => (p.Title, p.Summary, p.PrimaryCategory, p.Representative)));
        Assert.Equal([$"a metadata line without a title was ignored: '{OtherMetadata}'"], page.Warnings);
    }

    [Theory]
    [InlineData("A summary without a full stop", false)]
    [InlineData("A summary with a full stop.", true)]
    [InlineData("A summary cut off mid", true)]
    public void Parse_drops_a_representative_summary_only_when_it_ends_the_page_mid_sentence(string summary, bool endsPage)
    {
        string[] representative = ["representative citing papers", "First Paper", Metadata, summary];
        string[] explorer = ["citing papers explorer", "- First Paper"];
        var page = HubPageParser.Parse(PageText.Compact(endsPage ? [.. explorer, .. representative] : [.. representative, .. explorer]));

        var paper = Assert.Single(page.CitingPapers);
        var cutOff = endsPage && !summary.EndsWith('.');
        Assert.Equal(cutOff ? null : summary, paper.Summary);
        Assert.Equal(cutOff ? ["page ends mid-entry: summary of 'First Paper' is cut off and was not kept"] : Array.Empty<string>(), page.Warnings);
    }

    [Theory]
    [InlineData("- First Paper")]
    [InlineData("- Second Paper")]
    public void Parse_completes_a_representative_summary_the_page_cuts_off_from_an_untitled_copy_listed_before_it(string explorerEntry)
    {
        // The entry is listed twice among the representatives, the second time at the end of the page, cut off;
        // its complete summary stands untitled between the two.
        var page = HubPageParser.Parse(PageText.Compact(
            "representative citing papers", "First Paper", Metadata,
            "representative citing papers", "The first paper's summary, in full.",
            "citing papers explorer", explorerEntry,
            "representative citing papers", "First Paper", Metadata, "The first paper's summary"));

        var first = Assert.Single(page.CitingPapers, p => p.Title == "First Paper");
        Assert.Equal(("The first paper's summary, in full.", "cs.LG", true), (first.Summary, first.PrimaryCategory, first.Representative));
        Assert.Equal(explorerEntry == "- First Paper" ? 1 : 2, page.CitingPapers.Count);
        Assert.Equal(
        [
            "section 'representative citing papers' appears more than once; its entries were merged",
            "1 duplicate citing-paper listing(s) merged into the first one (e.g. 'First Paper')",
        ], page.Warnings);
    }
}
