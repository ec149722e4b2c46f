using CitationService.Classification;

namespace CitationService.Tests.Classification;

public class PreprocessingTests
{
    [Theory]
    [InlineData("We follow @@CITATION@@ in using CRFs.", "We follow in using CRFs .")]
    [InlineData("They generate user models #AUTHOR_TAG.", "They generate user models .")]
    [InlineData("as in previous work (Leonard and Baum, 1998; Leonard et al., 1997a, 1997b), the results", "as in previous work , the results")]
    [InlineData("full parsers ( Collins , 1997 ; Charniak , 1997a ; Charniak , 1997b ) , significant", "full parsers , significant")]
    [InlineData("each component were reported (IscS [12,22], IscU/Isu1 [6,11,16]).", "each component were reported ( IscS , IscU/Isu1 ) .")]
    [InlineData("using the Modelflow technique [33–35].", "using the Modelflow technique .")]
    [InlineData("coculture conditions (21), this study", "coculture conditions , this study")]
    [InlineData("Notable papers include Blum and Chawla ( 2001 ) and Joachims (2003).", "Notable papers include Blum and Chawla and Joachims .")]
    [InlineData("as shown previously [Smith et al. 2010; Doe, 2012]", "as shown previously")]
    public void Strips_citation_markers(string raw, string expected)
    {
        Assert.Equal(expected, TextPreprocessor.Clean(raw));
    }

    [Fact]
    public void Keeps_ordinary_parentheses_and_numbers()
    {
        Assert.Equal("a sample ( n = 167 ) with 9.70 points .", TextPreprocessor.Clean("a sample (n = 167) with 9.70 points."));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Blank_input_gives_empty_text(string? raw)
    {
        Assert.Equal("", TextPreprocessor.Clean(raw));
    }

    [Fact]
    public void Caps_length_and_collapses_whitespace()
    {
        var cleaned = TextPreprocessor.Clean(string.Join("\n  ", Enumerable.Repeat("word", 1000)));
        Assert.True(cleaned.Length <= TextPreprocessor.MaxLength);
        Assert.DoesNotContain("  ", cleaned);
        Assert.DoesNotContain('\n', cleaned);
    }
}
