using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

public class NpoSeedPageTests
{
    private readonly HubPage _page = SeedPages.Parse(SeedPages.Npo);

    [Fact]
    public void Parse_reads_the_title_not_the_opening_summary_line()
    {
        Assert.Equal("Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning", _page.Title);
    }

    [Fact]
    public void Parse_reads_the_hub_tier_label()
    {
        Assert.Equal("hub", _page.TierLabel);
    }

    [Fact]
    public void Parse_reads_the_stated_count_followed_by_the_indexing_notice()
    {
        Assert.Equal(27, _page.StatedCitingCount);
    }

    [Fact]
    public void Parse_reads_the_abstract()
    {
        Assert.StartsWith("Large Language Models (LLMs) often memorize", _page.Abstract);
        Assert.EndsWith("forgetting 10% of training data.", _page.Abstract);
    }

    [Fact]
    public void Parse_lists_every_explorer_entry_once()
    {
        Assert.Equal(27, _page.CitingPapers.Count);
        Assert.Equal(27, _page.CitingPapers.Select(p => TextNormalizer.NormalizeTitle(p.Title)).Distinct().Count());
    }

    [Fact]
    public void Parse_keeps_the_first_explorer_entry_with_its_summary()
    {
        var first = _page.CitingPapers[0];
        Assert.Equal("Defenses at Odds: Measuring and Explaining Defense Conflicts in Large Language Models", first.Title);
        Assert.Equal("Sequential LLM defense deployment leads to risk exacerbation in 38.9% of cases due to anti-aligned updates in shared critical layers, addressed by conflict-guided layer freezing.", first.Summary);
    }

    [Fact]
    public void Parse_keeps_a_last_dash_title_entry_as_complete_without_summary()
    {
        var last = _page.CitingPapers[^1];
        Assert.Equal("Revisiting Privacy Leakage in Machine Unlearning: Membership Inference Beyond the Forgotten Set", last.Title);
        Assert.Null(last.Summary);
        Assert.Equal(26, _page.CitingPapers.Count(p => p.Summary is not null));
    }

    [Fact]
    public void Parse_keeps_titles_and_summaries_exactly_as_printed()
    {
        var lines = SeedPages.Lines(SeedPages.Npo);
        var explorer = Array.IndexOf(lines, "citing papers explorer");
        var expected = new List<(string Title, string? Summary)>();
        for (var i = explorer + 1; i < lines.Length; i++)
        {
            if (lines[i] == "-")
            {
                expected.Add((lines[i + 1], lines[i + 2]));
            }
            else if (lines[i].StartsWith("- ", StringComparison.Ordinal))
            {
                expected.Add((lines[i][2..], null));
            }
        }
        Assert.Equal(expected, _page.CitingPapers.Select(p => (p.Title, p.Summary)).ToList());
    }

    [Fact]
    public void Parse_marks_every_representative_summary_on_its_explorer_entry()
    {
        var lines = SeedPages.Lines(SeedPages.Npo);
        var start = Array.IndexOf(lines, "representative citing papers");
        var end = Array.IndexOf(lines, "citing papers explorer");
        var representativeSummaries = lines[(start + 1)..end].Where(l => l.Length > 0).ToList();

        Assert.Equal(23, representativeSummaries.Count);
        Assert.Equal(representativeSummaries.Count, _page.CitingPapers.Count(p => p.Representative));
        Assert.All(_page.CitingPapers.Where(p => p.Representative), p => Assert.Contains(p.Summary, representativeSummaries));
    }

    [Fact]
    public void Parse_reports_no_warnings_for_a_complete_page()
    {
        Assert.Empty(_page.Warnings);
    }

    [Fact]
    public void Parse_reports_no_stated_counts_when_the_summaries_are_empty()
    {
        Assert.Empty(_page.StatedRoleCounts);
        Assert.Empty(_page.StatedPolarityCounts);
    }
}

public class PythiaSeedPageTests
{
    private readonly HubPage _page = SeedPages.Parse(SeedPages.Pythia);

    [Fact]
    public void Parse_skips_the_header_and_reads_the_title()
    {
        Assert.Equal("Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling", _page.Title);
    }

    [Fact]
    public void Parse_reads_the_tool_reference_tier_label()
    {
        Assert.Equal("hub Tool reference", _page.TierLabel);
    }

    [Fact]
    public void Parse_reads_the_count_from_the_citing_it_line()
    {
        Assert.Equal(30, _page.StatedCitingCount);
    }

    [Fact]
    public void Parse_reads_the_role_counts_in_printed_order()
    {
        Assert.Equal(
            [new StatedLabelCount("dataset", 5), new StatedLabelCount("background", 2), new StatedLabelCount("method", 2)],
            _page.StatedRoleCounts);
        Assert.Empty(_page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_reads_the_abstract_of_a_full_rendering()
    {
        Assert.StartsWith("How do large language models (LLMs) develop and evolve", _page.Abstract);
        Assert.EndsWith("\\url{https://github.com/EleutherAI/pythia}.", _page.Abstract);
    }

    [Fact]
    public void Parse_reads_representative_papers_with_metadata()
    {
        Assert.Equal(2, _page.CitingPapers.Count);
        var first = _page.CitingPapers[0];
        Assert.Equal("Theoretical Limits of Language Model Alignment", first.Title);
        Assert.Equal("cs.LG", first.PrimaryCategory);
        Assert.Equal(new DateOnly(2026, 5, 8), first.SubmittedDate);
        Assert.Equal("unverdicted", first.Verdict);
        Assert.Equal(7.0f, first.NoveltyScore);
        Assert.Null(first.ReferenceCount);
        Assert.True(first.Representative);
        Assert.Equal("The maximum reward gain under KL-regularized LM alignment is a Jeffreys divergence term, estimable as covariance from base samples, with best-of-N approaching the theoretical limit.", first.Summary);
    }

    [Fact]
    public void Parse_reads_the_reference_count_of_a_metadata_line()
    {
        var second = _page.CitingPapers[1];
        Assert.Equal("Layer Collapse in Diffusion Language Models", second.Title);
        Assert.Equal("cs.LG", second.PrimaryCategory);
        Assert.Equal(new DateOnly(2026, 5, 7), second.SubmittedDate);
        Assert.Equal(7.0f, second.NoveltyScore);
        Assert.Equal(2, second.ReferenceCount);
        Assert.True(second.Representative);
    }

    [Fact]
    public void Parse_drops_a_summary_cut_off_at_the_end_of_the_page_and_warns()
    {
        Assert.Null(_page.CitingPapers[1].Summary);
        var warning = Assert.Single(_page.Warnings);
        Assert.Contains("Layer Collapse in Diffusion Language Models", warning);
        Assert.Contains("cut off", warning);
    }
}

public class RawArxivSeedPageTests
{
    private readonly HubPage _page = SeedPages.Parse(SeedPages.RawArxiv);

    [Fact]
    public void Parse_keeps_a_raw_reference_title_as_printed()
    {
        Assert.Equal("arXiv preprint arXiv:2310.10683 , year=", _page.Title);
        Assert.Equal("", _page.TierLabel);
    }

    [Fact]
    public void Parse_reads_the_arxiv_id_from_a_raw_reference_title()
    {
        Assert.Equal("2310.10683", _page.ArxivId);
        Assert.Equal("", _page.Doi);
    }

    [Fact]
    public void Parse_lists_explorer_papers_in_order_with_representatives_marked()
    {
        Assert.Equal(3, _page.StatedCitingCount);
        Assert.Equal(
            [
                ("Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning", false),
                ("Probe-Geometry Alignment: Erasing the Cross-Sequence Memorization Signature Below Chance", true),
                ("Representation-Guided Parameter-Efficient LLM Unlearning", true),
            ],
            _page.CitingPapers.Select(p => (p.Title, p.Representative)).ToList());
        Assert.All(_page.CitingPapers, p => Assert.NotNull(p.Summary));
    }

    [Fact]
    public void Parse_reports_no_warnings()
    {
        Assert.Empty(_page.Warnings);
    }
}

public class ToEachSeedPageTests
{
    private readonly HubPage _page = SeedPages.Parse(SeedPages.ToEach);

    [Fact]
    public void Parse_repairs_hyphenation_in_the_title()
    {
        Assert.Equal("To each (textual sequence) its own: Improving memorized-data unlearning in large language models", _page.Title);
    }

    [Fact]
    public void Parse_reads_counts_from_a_roles_block_with_glued_markers()
    {
        Assert.Equal(3, _page.StatedCitingCount);
        Assert.Equal([new StatedLabelCount("background", 1)], _page.StatedRoleCounts);
        Assert.Equal([new StatedLabelCount("background", 1)], _page.StatedPolarityCounts);
    }

    [Fact]
    public void Parse_reads_the_section_after_a_glued_marker()
    {
        Assert.Equal(3, _page.CitingPapers.Count);
        Assert.Equal(2, _page.CitingPapers.Count(p => p.Representative));
        Assert.Equal("Is your algorithm unlearning or untraining?", _page.CitingPapers[0].Title);
        Assert.False(_page.CitingPapers[0].Representative);
        Assert.Empty(_page.Warnings);
    }
}
