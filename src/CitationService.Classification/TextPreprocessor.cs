using System.Text.RegularExpressions;
using CitationService.Core.Model;

namespace CitationService.Classification;

/// <summary>
/// The one text preprocessing step shared by training and prediction: strips citation markers so that
/// models learn the wording around a citation rather than its marker style, spaces out punctuation so
/// that pre-tokenised corpora (ACL-ARC) and raw corpora look alike, collapses whitespace and caps length.
/// </summary>
public static partial class TextPreprocessor
{
    /// <summary>Texts are cut to this many characters after cleaning.</summary>
    public const int MaxLength = 1000;

    /// <summary>Cleans one text; never throws, returns an empty string for null/blank input.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        // Bound the regex work on absurd inputs: only the start of the text survives the cap anyway.
        var s = text.Length > 20 * MaxLength ? text[..(20 * MaxLength)] : text;
        s = PlaceholderMarker().Replace(s, " ");
        s = NumericBracket().Replace(s, " ");
        s = NumericParen().Replace(s, " ");
        s = YearGroup().Replace(s, " ");
        s = EmptyGroup().Replace(s, " ");
        s = Punctuation().Replace(s, " $1 ");
        s = SentenceDot().Replace(s, " . ");
        s = TextNormalizer.CollapseWhitespace(s);
        if (s.Length > MaxLength)
        {
            s = s[..MaxLength].TrimEnd();
        }
        return s;
    }

    // @@CITATION@@ (ACL-ARC variant), #AUTHOR_TAG / #TAUTHOR_TAG (ACT/3C), incl. numbered tags.
    [GeneratedRegex(@"@@CITATION@*|#T?AUTHOR_TAG\w*|\bCITATION\b", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderMarker();

    // [12], [6,11,16], [33–35], [3, 5a]
    [GeneratedRegex(@"\[\s*\d{1,4}[a-z]?(?:\s*(?:[-–—,;]|and)\s*\d{1,4}[a-z]?)*\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex NumericBracket();

    // (21), (35, 43), (3-5)
    [GeneratedRegex(@"\(\s*\d{1,3}(?:\s*[-–—,;]\s*\d{1,3})*\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex NumericParen();

    // (Author, 2001), ( Collins , 1997 ; Charniak , 1997a ), (2012), [Smith et al. 2010]
    [GeneratedRegex(@"[\(\[][^()\[\]]{0,300}?\b(?:1[89]\d{2}|20\d{2})[a-z]?\b[^()\[\]]{0,300}?[\)\]]", RegexOptions.CultureInvariant)]
    private static partial Regex YearGroup();

    // Brackets left empty (or with only separators) once their citations were removed.
    [GeneratedRegex(@"\(\s*[;,.]*\s*\)|\[\s*[;,.]*\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex EmptyGroup();

    [GeneratedRegex(@"([,;:!?()\[\]""])", RegexOptions.CultureInvariant)]
    private static partial Regex Punctuation();

    // A full stop that ends a sentence (followed by space or end), not a decimal point.
    [GeneratedRegex(@"\.(?=\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceDot();
}
