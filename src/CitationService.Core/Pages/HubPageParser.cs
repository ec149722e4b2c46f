namespace CitationService.Core.Pages;

/// <summary>
/// Reads Pith hub pages: the text renderings (see seeds/README.md for the variations) and the two JSON forms,
/// <c>&lt;uuid&gt;.json</c> and <c>&lt;uuid&gt;/citers.json</c> (<see cref="PithJsonReader"/>), told apart by content.
/// </summary>
public static class HubPageParser
{
    /// <summary>
    /// Parses one page and checks its fields against <see cref="PageLimits"/>. Text whose first character
    /// other than whitespace is '{' is read as JSON, anything else as a text rendering.
    /// </summary>
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
        // Whitespace after the document is not part of it: a stored copy cut mid-string still ends with its
        // file's line break, which would otherwise read as a raw line break inside the string.
        var page = PithJsonReader.IsJson(text, out var start)
            ? PithJsonReader.Read(text.AsSpan(start).TrimEnd())
            : new HubPageReader(SplitLines(text)).Read();
        return PageLimits.Check(page);
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
