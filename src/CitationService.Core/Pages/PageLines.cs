using System.Globalization;
using System.Text.RegularExpressions;

namespace CitationService.Core.Pages;

/// <summary>
/// A citing paper's metadata line: <c>cs.CL · 2026-05-18 · unverdicted · novelty 7.0 · 2 refs</c>.
/// <c>Complete</c> is false when the line was cut off (only the page's last line can be).
/// </summary>
internal sealed record PaperMetadata(
    string PrimaryCategory, DateOnly? SubmittedDate, string Verdict, float? NoveltyScore, int? ReferenceCount, bool Complete);

/// <summary>
/// Recognises the kinds of lines a hub page is made of. Every pattern is anchored or bounded so a
/// single 10 MB line costs linear time; lines reach here trimmed with whitespace collapsed.
/// </summary>
internal static partial class PageLines
{
    /// <summary>The separator in metadata lines (U+00B7 MIDDLE DOT).</summary>
    private const char MiddleDot = '\u00B7';

    /// <summary>Site chrome: <c>pith. sign in</c>, <c>pith. machine review for the scientific record. sign in</c>.</summary>
    public static bool IsHeader(string line) =>
        line.Length <= 120
        && line.StartsWith("pith.", StringComparison.OrdinalIgnoreCase)
        && line.EndsWith("sign in", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>hub</c>, <c>super hub</c>, optionally followed by <c>Canonical reference</c> or <c>Tool reference</c>.</summary>
    public static bool IsTierLabel(string line) => TierLabelPattern().IsMatch(line);

    /// <summary>Lines that carry nothing the parser keeps, e.g. <c>Method reference 78% of classified citations</c>.</summary>
    public static bool IsIgnorable(string line) => ClassifiedShareLine().IsMatch(line) || IndexingNotice().IsMatch(line);

    /// <summary><c>N Pith papers cite this work.</c> or <c>N Pith papers citing it</c>, possibly with more text after it.</summary>
    public static bool TryReadCountSentence(string line, out string number)
    {
        var match = CountSentence().Match(line);
        number = match.Success ? match.Groups["n"].Value : "";
        return match.Success;
    }

    /// <summary>The second half of a count split over two lines (<c>N</c> / <c>Pith papers citing it</c>).</summary>
    public static bool IsCountSentenceTail(string line) => CountSentenceTail().IsMatch(line);

    /// <summary>A line holding only a number, the first half of a split count.</summary>
    public static bool IsBareNumber(string line) => BareNumber().IsMatch(line);

    /// <summary>
    /// <c>Canonical reference. 86% of citing Pith papers …</c>, <c>Tool reference. 78% of classified Pith citations …</c>:
    /// they state the hub's tier but no count.
    /// </summary>
    public static bool IsReferenceShareSentence(string line) => ReferenceShareSentence().IsMatch(line);

    /// <summary>Parses a count as printed, with or without thousands separators; null when it does not fit an int.</summary>
    public static int? ParseCount(string number) =>
        int.TryParse(number, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// True when the text ends a sentence: <c>.</c>, <c>!</c> or <c>?</c>, possibly followed by closing quotes or brackets.
    /// Summaries always do; a last line that does not was cut off.
    /// </summary>
    public static bool EndsSentence(string text)
    {
        var i = text.Length - 1;
        while (i >= 0 && text[i] is '"' or '\'' or ')' or ']' or '}' or '\u201D' or '\u2019' or '\u00BB')
        {
            i--;
        }
        return i >= 0 && text[i] is '.' or '!' or '?';
    }

    /// <summary>The arXiv id a raw reference title gives (<c>arXiv:2310.10683</c>, <c>hep-th/9901001</c>), without version; "" when none.</summary>
    public static string FindArxivId(string title)
    {
        var match = NewStyleArxivId().Match(title);
        if (match.Success)
        {
            return match.Groups["id"].Value;
        }
        match = OldStyleArxivId().Match(title);
        return match.Success ? match.Groups["id"].Value : "";
    }

    /// <summary>The DOI a raw reference title gives, without trailing punctuation; "" when none.</summary>
    public static string FindDoi(string title)
    {
        var match = Doi().Match(title);
        return match.Success ? match.Value.TrimEnd('.', ',', ';', ':', ')', ']', '}', '\'', '"') : "";
    }

    /// <summary>
    /// Reads a metadata line. Away from the end of the page every part must be recognised; the page's
    /// last line may be a metadata line cut short, which is returned with <c>Complete = false</c>.
    /// Null when the line is not metadata.
    /// </summary>
    public static PaperMetadata? TryReadMetadata(string line, bool isLastLine)
    {
        var firstDot = line.IndexOf(MiddleDot);
        if (firstDot <= 0 || firstDot > 40)
        {
            return null;
        }
        var category = line[..firstDot].Trim();
        if (!Category().IsMatch(category))
        {
            return null;
        }
        DateOnly? date = null;
        string verdict = "";
        float? novelty = null;
        int? refs = null;
        var unrecognised = 0;
        foreach (var raw in line[(firstDot + 1)..].Split(MiddleDot))
        {
            var part = raw.Trim();
            // Assigned up front, not only inside the conditions: a mutation testing tool that removes one of
            // those assignments must still compile, or it drops every mutant of this method.
            Match m = Match.Empty;
            if (date is null && DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                date = d;
            }
            else if (novelty is null && (m = Novelty().Match(part)).Success
                && float.TryParse(m.Groups["score"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                novelty = score;
            }
            else if (refs is null && (m = References().Match(part)).Success
                && int.TryParse(m.Groups["refs"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r))
            {
                refs = r;
            }
            else if (verdict.Length == 0 && Verdict().IsMatch(part))
            {
                verdict = part;
            }
            else
            {
                unrecognised++;
            }
        }
        var complete = unrecognised == 0 && date is not null && verdict.Length > 0 && novelty is not null;
        if (isLastLine)
        {
            return new PaperMetadata(category, date, verdict, novelty, refs, complete);
        }
        return unrecognised == 0 && (date is not null || novelty is not null)
            ? new PaperMetadata(category, date, verdict, novelty, refs, Complete: true)
            : null;
    }

    [GeneratedRegex(@"^(?:super )?hub(?: (?:Canonical|Tool) reference)?$")]
    private static partial Regex TierLabelPattern();

    [GeneratedRegex(@"^(?<n>\d{1,3}(?:,\d{3})+|\d+) Pith papers? (?:cites? this work|citing it)\b")]
    private static partial Regex CountSentence();

    [GeneratedRegex(@"^Pith papers? (?:cites? this work|citing it)\b")]
    private static partial Regex CountSentenceTail();

    [GeneratedRegex(@"^(?:\d{1,3}(?:,\d{3})+|\d+)$")]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"^[A-Z][a-z]+ reference\. \d{1,3}(?:\.\d+)?% ")]
    private static partial Regex ReferenceShareSentence();

    [GeneratedRegex(@"^[A-Z][a-z]+ reference \d{1,3}(?:\.\d+)?% of classified citations\.?$")]
    private static partial Regex ClassifiedShareLine();

    [GeneratedRegex(@"^Polarity classification is still indexing\.?$")]
    private static partial Regex IndexingNotice();

    [GeneratedRegex(@"(?:arXiv[:.]? ?|arxiv\.org/(?:abs|pdf)/)(?<id>\d{4}\.\d{4,5})(?:v\d+)?(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex NewStyleArxivId();

    [GeneratedRegex(@"(?<![\w-])(?<id>(?:astro-ph|cond-mat|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nlin|nucl-ex|nucl-th|physics|quant-ph|math|cs|q-bio|q-fin|stat)(?:\.[A-Z]{2})?/\d{7})(?!\d)")]
    private static partial Regex OldStyleArxivId();

    [GeneratedRegex(@"\b10\.\d{4,9}/[^\s""<>]+")]
    private static partial Regex Doi();

    // arXiv categories: cs.LG, hep-th, q-bio.NC, cond-mat.mes-hall.
    [GeneratedRegex(@"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$")]
    private static partial Regex Category();

    [GeneratedRegex(@"^novelty (?<score>\d{1,3}(?:\.\d+)?)$")]
    private static partial Regex Novelty();

    [GeneratedRegex(@"^(?<refs>\d{1,6}) refs?$")]
    private static partial Regex References();

    // "unverdicted", "ACCEPT", "MAJOR_REVISION", "minor revision".
    [GeneratedRegex(@"^[A-Za-z][A-Za-z_ -]{0,39}$")]
    private static partial Regex Verdict();
}
