using CitationService.Core.Model;

namespace CitationService.Tests.Model;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("To each (textual sequence) its own: Im- proving memorized-data unlearning", "To each (textual sequence) its own: Improving memorized-data unlearning")]
    [InlineData("Pre- and post-training analysis", "Pre- and post-training analysis")]
    [InlineData("Intra- or inter-sentence", "Intra- or inter-sentence")]
    [InlineData("A well-known method", "A well-known method")]
    [InlineData("Range 1- 2", "Range 1- 2")]
    public void RepairHyphenation_joins_only_line_break_hyphens(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.RepairHyphenation(text));
    }

    [Fact]
    public void NormalizeTitle_folds_case_whitespace_and_hyphenation()
    {
        Assert.Equal("improving memorized-data unlearning", TextNormalizer.NormalizeTitle("  Im- proving   Memorized-data\nUnlearning "));
    }

    [Fact]
    public void StableIds_are_the_same_for_titles_that_normalise_alike()
    {
        Assert.Equal(StableIds.ForHub("", "Im- proving X"), StableIds.ForHub("", "improving  x"));
        Assert.NotEqual(StableIds.ForHub("https://a.example/1", "X"), StableIds.ForHub("", "X"));
    }
}
