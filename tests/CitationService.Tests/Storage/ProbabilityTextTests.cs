using CitationService.Core.Model;
using CitationService.Storage;

namespace CitationService.Tests.Storage;

/// <summary>
/// <c>ProbabilityText</c>'s direct scan of the text the store writes (<c>TryParseCanonical</c>): what it reads
/// itself, value for value, and what it leaves to <c>JsonSerializer</c> (null). No database is opened; that
/// <c>Parse</c> agrees with <c>JsonSerializer</c> on every text is <c>SqliteCitationStoreTests</c>'s
/// <c>ProbabilityText_reads_what_JsonSerializer_reads_from_stored_other_and_malformed_texts</c>.
/// </summary>
public sealed class ProbabilityTextTests
{
    [Fact]
    public void TryParseCanonical_reads_the_text_the_store_writes_label_by_label()
    {
        Assert.Equal(
            [(CitationRole.Background, 0.125f), (CitationRole.Method, 1E-07f), (CitationRole.Other, 1f)],
            Pairs(ProbabilityText.TryParseCanonical<CitationRole>("""{"Background":0.125,"Method":1E-07,"Other":1}""")));
        Assert.Equal(
            [(CitationPolarity.Supporting, 0.0066f), (CitationPolarity.Neutral, 0.95f), (CitationPolarity.Contrasting, 0.043f)],
            Pairs(ProbabilityText.TryParseCanonical<CitationPolarity>("""{"Supporting":0.0066,"Neutral":0.95,"Contrasting":0.043}""")));
        // A single label, and none at all: an empty map, not null.
        Assert.Equal([(CitationRole.Unspecified, 0.5f)], Pairs(ProbabilityText.TryParseCanonical<CitationRole>("""{"Unspecified":0.5}""")));
        Assert.Equal([(CitationRole.Other, 0f)], Pairs(ProbabilityText.TryParseCanonical<CitationRole>("""{"Other":0}""")));
        var empty = ProbabilityText.TryParseCanonical<CitationRole>("{}");
        Assert.NotNull(empty);
        Assert.Empty(empty);
    }

    [Theory]
    [InlineData("0", 0f)]
    [InlineData("-0", -0f)]
    [InlineData("1", 1f)]
    [InlineData("10", 10f)]
    [InlineData("-0.5", -0.5f)]
    [InlineData("0.25", 0.25f)]
    [InlineData("5E-1", 0.5f)]
    [InlineData("5e-1", 0.5f)]
    [InlineData("5e+1", 50f)]
    [InlineData("5E1", 50f)]
    [InlineData("1.5e0", 1.5f)]
    [InlineData("3.4028235E+38", float.MaxValue)]
    [InlineData("1E-50", 0f)]
    public void TryParseCanonical_reads_every_form_of_JSON_number_with_its_exact_value(string number, float expected)
    {
        var map = ProbabilityText.TryParseCanonical<CitationRole>($$"""{"Method":{{number}}}""");

        Assert.NotNull(map);
        var (label, value) = Assert.Single(map);
        Assert.Equal(CitationRole.Method, label);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(value));
    }

    [Fact]
    public void TryParseCanonical_reads_a_number_of_up_to_64_characters_and_leaves_a_longer_one()
    {
        var sixtyFour = "0.5" + new string('0', 61);
        Assert.Equal(64, sixtyFour.Length);

        Assert.Equal([(CitationRole.Method, 0.5f)], Pairs(ProbabilityText.TryParseCanonical<CitationRole>($$"""{"Method":{{sixtyFour}}}""")));
        Assert.Null(ProbabilityText.TryParseCanonical<CitationRole>($$"""{"Method":{{sixtyFour}}0}"""));
        // JsonSerializer reads the longer one to the same value.
        Assert.Equal([(CitationRole.Method, 0.5f)], Pairs(ProbabilityText.Parse<CitationRole>($$"""{"Method":{{sixtyFour}}0}""")));
    }

    [Theory]
    // Not an object of the store's shape.
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("x}")]
    [InlineData("{x")]
    [InlineData("x\"Method\":0.5}")]
    [InlineData("[\"Method\":0.5}")]
    [InlineData("[]")]
    [InlineData("{x}")]
    [InlineData("{\"Method\"}")]
    [InlineData("{\"Method}")]
    [InlineData("{\"Method\"0.5}")]
    [InlineData("{\"Method\"x1}")]
    [InlineData("{\"Method\" 1}")]
    [InlineData("{\"Method\":0.5,}")]
    [InlineData("{\"Method\":0.5}}")]
    [InlineData("{\"Method\":0.5,\"Other\"}")]
    [InlineData("{\"Method\":0.5\"Other\":1}")]
    // Whitespace, escapes, names that are no label's exact name.
    [InlineData("{ \"Method\":0.5}")]
    [InlineData("{\"Method\" :0.5}")]
    [InlineData("{\"Method\": 0.5}")]
    [InlineData("{\"Method\":0.5 }")]
    [InlineData("{\"Meth\\u006fd\":0.5}")]
    [InlineData("{\"method\":0.5}")]
    [InlineData("{\"2\":0.5}")]
    [InlineData("{\"\":0.5}")]
    [InlineData("{\"Unknown\":0.5}")]
    [InlineData("{\"Method\":0.5,\"Unknown\":0.5}")]
    // Repeated or unordered labels.
    [InlineData("{\"Method\":0.5,\"Method\":0.25}")]
    [InlineData("{\"Other\":0.5,\"Method\":0.25}")]
    [InlineData("{\"Background\":0.5,\"Other\":0.25,\"Method\":0.25}")]
    // Numbers that are not JSON's, or not a finite single.
    [InlineData("{\"Method\":}")]
    [InlineData("{\"Method\":-}")]
    [InlineData("{\"Method\":+1}")]
    [InlineData("{\"Method\":.5}")]
    [InlineData("{\"Method\":01}")]
    [InlineData("{\"Method\":-01}")]
    [InlineData("{\"Method\":1.}")]
    [InlineData("{\"Method\":1.e5}")]
    [InlineData("{\"Method\":1e}")]
    [InlineData("{\"Method\":1e+}")]
    [InlineData("{\"Method\":1e-}")]
    [InlineData("{\"Method\":1.5.5}")]
    [InlineData("{\"Method\":1e5e5}")]
    [InlineData("{\"Method\":0x1}")]
    [InlineData("{\"Method\":a}")]
    [InlineData("{\"Method\":-a}")]
    [InlineData("{\"Method\":1a}")]
    [InlineData("{\"Method\":NaN}")]
    [InlineData("{\"Method\":Infinity}")]
    [InlineData("{\"Method\":1e39}")]
    [InlineData("{\"Method\":-1e39}")]
    [InlineData("{\"Method\":\"0.5\"}")]
    public void TryParseCanonical_leaves_any_other_text_to_JsonSerializer(string json)
    {
        Assert.Null(ProbabilityText.TryParseCanonical<CitationRole>(json));
    }

    [Fact]
    public void Parse_reads_other_texts_through_JsonSerializer_and_skips_names_that_are_no_label()
    {
        Assert.Equal([(CitationRole.Method, 0.25f), (CitationRole.Other, 0.5f)],
            Pairs(ProbabilityText.Parse<CitationRole>("""{ "Other": 0.5, "Method": 0.25, "Unknown": 1, "method": 1 }""")));
        Assert.Equal([(CitationRole.Method, 0.25f)], Pairs(ProbabilityText.Parse<CitationRole>("""{"Method":0.5,"Method":0.25}""")));
        Assert.Empty(ProbabilityText.Parse<CitationRole>("null"));
        Assert.Empty(ProbabilityText.Parse<CitationRole>(null));
        Assert.Empty(ProbabilityText.Parse<CitationRole>(""));
        Assert.Throws<System.Text.Json.JsonException>(() => ProbabilityText.Parse<CitationRole>("{\"Method\":-}"));
    }

    private static List<(T, float)> Pairs<T>(Dictionary<T, float>? map)
        where T : struct, Enum =>
        Assert.IsType<Dictionary<T, float>>(map).OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList();
}
