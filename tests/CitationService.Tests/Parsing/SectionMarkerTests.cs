using CitationService.Core.Model;
using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// Where a line of <c>label count</c> pairs and markers stops being one: labels of up to four words, lines
/// of up to 2,000 characters, a count that runs into something other than a space or a marker.
/// </summary>
public class SectionMarkerTests
{
    [Theory]
    [InlineData("one two three four 5", "one two three four")]
    [InlineData("one two three four five 5", null)]
    public void Parse_reads_a_count_label_of_up_to_four_words(string line, string? label)
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", line, "citing papers explorer", "- A Citing Paper"));

        Assert.Equal(label is null ? [] : [new StatedLabelCount(label, 5)], page.StatedRoleCounts);
    }

    [Theory]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    public void Parse_reads_a_line_of_pairs_of_up_to_2000_characters(int length, bool read)
    {
        // The role summary's real pairs, repeated, the first label lengthened to the exact length.
        var pairs = string.Join(' ', Enumerable.Repeat("background 86 baseline 3 method 3 dataset 1 other 1", 30));
        var line = new string('b', length - pairs.Length) + pairs;
        Assert.Equal(length, line.Length);

        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", line, "citing papers explorer", "- A Citing Paper"));

        Assert.Equal(read ? 150 : 0, page.StatedRoleCounts.Count);
    }

    [Theory]
    [InlineData("background 86x method 3", "background 86x method")]
    [InlineData("background 86, method 3", "background 86, method")]
    [InlineData("background 8,6x method 3", "background 8,6x method")]
    public void Parse_reads_a_number_that_runs_into_other_text_as_part_of_the_label(string line, string label)
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", line, "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount(label, 3)], page.StatedRoleCounts);
    }

    [Fact]
    public void Parse_reads_a_numeric_first_word_as_the_label_not_as_a_count()
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "2026 1", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("2026", 1)], page.StatedRoleCounts);
    }

    [Fact]
    public void Parse_does_not_read_a_line_ending_in_a_comma_as_pairs()
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary", "background 86 method 3,", "citing papers explorer", "- A Citing Paper"));

        Assert.Empty(page.StatedRoleCounts);
        Assert.Equal("A Citing Paper", Assert.Single(page.CitingPapers).Title);
    }

    [Fact]
    public void Parse_reads_counts_on_the_line_of_their_marker()
    {
        var page = HubPageParser.Parse(PageText.Compact("citation-role summary background 2 method 1", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("background", 2), new StatedLabelCount("method", 1)], page.StatedRoleCounts);
    }

    [Fact]
    public void Parse_reads_a_marker_that_runs_into_the_next_marker_as_both()
    {
        // An empty role summary glued to the polarity summary that follows it.
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summarycitation-polarity summary supports 3", "citing papers explorer", "- A Citing Paper"));

        Assert.Empty(page.StatedRoleCounts);
        Assert.Equal([new StatedLabelCount("supports", 3)], page.StatedPolarityCounts);
        Assert.Equal("A Citing Paper", Assert.Single(page.CitingPapers).Title);
    }

    [Fact]
    public void Parse_reads_a_label_that_starts_with_a_marker_s_text_as_a_label()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 2 abstraction 1", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("background", 2), new StatedLabelCount("abstraction", 1)], page.StatedRoleCounts);
        Assert.Equal("", page.Abstract);
        Assert.Equal("A Citing Paper", Assert.Single(page.CitingPapers).Title);
    }

    [Fact]
    public void Parse_reads_a_label_that_starts_with_a_digit_after_a_count()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "citation-role summary", "background 86 1st-order 3", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal([new StatedLabelCount("background", 86), new StatedLabelCount("1st-order", 3)], page.StatedRoleCounts);
    }

    [Fact]
    public void Parse_keeps_an_abstract_line_that_starts_with_a_marker_word_followed_by_prose()
    {
        var page = HubPageParser.Parse(PageText.Compact(
            "abstract", "We study how citation", "roles shift over time.", "citing papers explorer", "- A Citing Paper"));

        Assert.Equal("We study how citation roles shift over time.", page.Abstract);
        Assert.Empty(page.StatedRoleCounts);
        Assert.Empty(page.Warnings);
    }
}
