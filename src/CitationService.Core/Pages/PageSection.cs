namespace CitationService.Core.Pages;

/// <summary>The sections a hub page can contain; <see cref="None"/> is the text before the first section marker.</summary>
internal enum PageSection
{
    None,
    Abstract,
    HubTools,
    RoleSummary,
    PolaritySummary,
    Roles,
    Polarities,
    Fields,
    Years,
    Verdicts,
    ClaimsLedger,
    Representative,
    Explorer,
}

/// <summary>
/// One piece of a line made of section markers and <c>label count</c> pairs,
/// e.g. <c>background 1polarities</c> is a pair followed by a marker.
/// </summary>
internal readonly record struct LineSegment(PageSection Marker, Model.StatedLabelCount? Pair);

/// <summary>
/// Splits lines into section markers and label/count pairs. Pages glue a marker to the end of the
/// previous block's text (<c>background 1representative citing papers</c>, <c>cs.CL 1years</c>), and
/// facet blocks put their pairs on the marker's line (<c>fields cs.CL 1</c>), so a marker is recognised
/// at the start of a line or right after a count, never inside free text.
/// </summary>
internal static class SectionMarkers
{
    // A label is a few words at most ("background", "cs.CL", "2026"); more means free text.
    private const int MaxLabelTokens = 4;

    // Facet blocks list at most a few dozen pairs; anything longer is prose.
    private const int MaxMarkerLineLength = 2000;

    private static readonly (string Text, PageSection Section)[] Markers =
    [
        ("representative citing papers", PageSection.Representative),
        ("citation-polarity summary", PageSection.PolaritySummary),
        ("citation-role summary", PageSection.RoleSummary),
        ("citing papers explorer", PageSection.Explorer),
        ("claims ledger", PageSection.ClaimsLedger),
        ("polarities", PageSection.Polarities),
        ("hub tools", PageSection.HubTools),
        ("abstract", PageSection.Abstract),
        ("verdicts", PageSection.Verdicts),
        ("fields", PageSection.Fields),
        ("years", PageSection.Years),
        ("roles", PageSection.Roles),
    ];

    private static readonly System.Buffers.SearchValues<char> MarkerInitials =
        System.Buffers.SearchValues.Create(string.Concat(Markers.Select(m => m.Text[0])));

    /// <summary>The marker's text as printed, for messages.</summary>
    public static string Name(PageSection section)
    {
        foreach (var (text, s) in Markers)
        {
            if (s == section)
            {
                return text;
            }
        }
        return section.ToString();
    }

    /// <summary>
    /// Reads a trimmed line as a sequence of markers and pairs. False when any part of it is
    /// something else (then the line is ordinary text).
    /// </summary>
    public static bool TryScan(string line, out List<LineSegment> segments)
    {
        segments = [];
        // Marker lines are short; a long line is free text (this also bounds the work on huge lines).
        if (line.Length > MaxMarkerLineLength)
        {
            return false;
        }
        var pos = 0;
        while (true)
        {
            pos = SkipSpaces(line, pos);
            if (pos == line.Length)
            {
                return segments.Count > 0;
            }
            var markerLength = MarkerAt(line, pos, out var section);
            if (markerLength > 0 && IsBoundary(line, pos + markerLength))
            {
                segments.Add(new LineSegment(section, null));
                pos += markerLength;
                continue;
            }
            if (!TryReadPair(line, ref pos, out var pair))
            {
                return false;
            }
            segments.Add(new LineSegment(PageSection.None, pair));
        }
    }

    // label tokens, then a count that ends the line, precedes a space or runs into a marker.
    private static bool TryReadPair(string line, ref int pos, out Model.StatedLabelCount pair)
    {
        pair = new Model.StatedLabelCount("", 0);
        var labelStart = pos;
        var labelEnd = pos;
        for (var tokens = 0; tokens <= MaxLabelTokens; tokens++)
        {
            // The first token is always a label, even when numeric ("years 2026 1").
            if (tokens > 0 && TryReadCount(line, pos, out var count, out var countEnd))
            {
                pair = new Model.StatedLabelCount(Model.TextNormalizer.CollapseWhitespace(line[labelStart..labelEnd]), count);
                pos = countEnd;
                return true;
            }
            if (tokens == MaxLabelTokens)
            {
                return false;
            }
            var tokenEnd = line.IndexOf(' ', pos);
            if (tokenEnd < 0)
            {
                return false;
            }
            labelEnd = tokenEnd;
            pos = SkipSpaces(line, tokenEnd);
            if (pos == line.Length)
            {
                return false;
            }
        }
        return false;
    }

    private static bool TryReadCount(string line, int pos, out int count, out int end)
    {
        count = 0;
        end = pos;
        // Digits, with optional thousands separators ("1,234").
        while (end < line.Length && (char.IsAsciiDigit(line[end])
            || (line[end] == ',' && end > pos && end + 1 < line.Length && char.IsAsciiDigit(line[end + 1]))))
        {
            end++;
        }
        if (end == pos)
        {
            return false;
        }
        if (end < line.Length && line[end] != ' ' && MarkerAt(line, end, out _) == 0)
        {
            return false;
        }
        return int.TryParse(line.AsSpan(pos, end - pos), System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture, out count);
    }

    private static int MarkerAt(string line, int pos, out PageSection section)
    {
        section = PageSection.None;
        // Cheap rejection: most positions do not start any marker.
        if (pos >= line.Length || !MarkerInitials.Contains(line[pos]))
        {
            return 0;
        }
        foreach (var (text, s) in Markers)
        {
            if (line.AsSpan(pos).StartsWith(text, StringComparison.Ordinal))
            {
                section = s;
                return text.Length;
            }
        }
        section = PageSection.None;
        return 0;
    }

    // A marker is a whole word: it ends the line, precedes a space, or runs into another marker.
    private static bool IsBoundary(string line, int pos) =>
        pos == line.Length || line[pos] == ' ' || MarkerAt(line, pos, out _) > 0;

    private static int SkipSpaces(string line, int pos)
    {
        while (pos < line.Length && char.IsWhiteSpace(line[pos]))
        {
            pos++;
        }
        return pos;
    }
}
