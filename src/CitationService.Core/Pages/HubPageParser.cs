namespace CitationService.Core.Pages;

/// <summary>Reads Pith hub page text renderings (see seeds/README.md for the variations).</summary>
public static class HubPageParser
{
    /// <summary>Parses one page and checks its fields against <see cref="PageLimits"/>.</summary>
    /// <exception cref="HubPageFormatException">The text is not a hub page, or a field is over its limit.</exception>
    /// <remarks>
    /// Any other exception is a parser bug and is left to propagate: turning it into a format error would
    /// blame the caller's page (INVALID_ARGUMENT) for the service's own fault (INTERNAL).
    /// </remarks>
    public static HubPage Parse(string text)
    {
        if (text is null)
        {
            throw new HubPageFormatException("not a hub page: the text is null");
        }
        return PageLimits.Check(new HubPageReader(SplitLines(text)).Read());
    }

    // Lines with \r\n and \r line endings normalised, trimmed, whitespace runs collapsed.
    private static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!IsCollapsed(lines[i]))
            {
                lines[i] = Model.TextNormalizer.CollapseWhitespace(lines[i]);
            }
        }
        return lines;
    }

    // Most lines need no collapsing; checking first avoids copying every line of a large page.
    private static bool IsCollapsed(string line)
    {
        if (line.Length > 0 && (char.IsWhiteSpace(line[0]) || char.IsWhiteSpace(line[^1])))
        {
            return false;
        }
        for (var i = 0; i < line.Length; i++)
        {
            if (char.IsWhiteSpace(line[i]) && (line[i] != ' ' || line[i + 1] == ' '))
            {
                return false;
            }
        }
        return true;
    }
}
