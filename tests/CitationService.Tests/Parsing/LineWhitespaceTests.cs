using CitationService.Core.Pages;

namespace CitationService.Tests.Parsing;

/// <summary>
/// Every line is trimmed and its whitespace runs collapsed before it is read. A citing paper's title in the
/// explorer is kept as its line reads after that, so it shows what the splitting left.
/// </summary>
public class LineWhitespaceTests
{
    [Theory]
    [InlineData(" A Citing Paper")]
    [InlineData("A Citing Paper ")]
    [InlineData("\tA Citing Paper")]
    [InlineData("A Citing Paper\t")]
    [InlineData("A\tCiting Paper")]
    [InlineData("A Citing  Paper")]
    [InlineData("A  Citing\t \tPaper")]
    [InlineData("A\u00A0Citing\u2003Paper")]
    [InlineData("  A   Citing   Paper  ")]
    public void Parse_trims_a_line_and_collapses_its_whitespace_runs_to_one_space(string title)
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", title, "It  cites\tthe hub. "));

        var paper = Assert.Single(page.CitingPapers);
        Assert.Equal("A Citing Paper", paper.Title);
        Assert.Equal("It cites the hub.", paper.Summary);
    }

    [Fact]
    public void Parse_keeps_a_line_with_single_spaces_between_its_words_as_it_is()
    {
        var page = HubPageParser.Parse(PageText.Compact("citing papers explorer", "-", "A Citing Paper", "It cites the hub."));

        Assert.Equal(("A Citing Paper", "It cites the hub."), (page.CitingPapers[0].Title, page.CitingPapers[0].Summary));
    }
}
