using System.Text;

namespace CitationService.Core.Model;

/// <summary>Normalises titles for matching: case, whitespace, line-break hyphenation, punctuation spacing.</summary>
public static class TextNormalizer
{
    /// <summary>Lower-cased, whitespace collapsed, "Im- proving" joined to "improving".</summary>
    public static string NormalizeTitle(string title)
    {
        var collapsed = CollapseWhitespace(RepairHyphenation(title));
        return collapsed.ToLowerInvariant();
    }

    /// <summary>Joins words split by a line-break hyphen ("Im- proving" → "Improving").</summary>
    public static string RepairHyphenation(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            // "x- y" where y starts lower-case: a hyphen left from a line break, unless it is a
            // suspended hyphen ("pre- and post-training").
            if (text[i] == '-' && i > 0 && char.IsLetter(text[i - 1]) && i + 2 < text.Length
                && text[i + 1] == ' ' && char.IsLower(text[i + 2]) && !StartsWithConjunction(text.AsSpan(i + 2)))
            {
                i++;
                continue;
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static bool StartsWithConjunction(ReadOnlySpan<char> rest)
    {
        foreach (var word in (ReadOnlySpan<string>)["and ", "or ", "to ", "nor ", "vs "])
        {
            if (rest.StartsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Trims and turns every whitespace run into one space.</summary>
    public static string CollapseWhitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
