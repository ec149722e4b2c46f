namespace CitationService.Cli.Ingest;

/// <summary>
/// A stored copy of a fetched page: a <c>url: &lt;address&gt;</c> line, a <c>-----chunk-----</c> line, then the
/// document as served (<c>seeds/json/</c> in the shared seeds).
/// </summary>
internal static class StoredCopy
{
    private const string UrlPrefix = "url:";
    private const string Separator = "-----chunk-----";

    /// <summary>The address and the document after the header, when <paramref name="text"/> opens with one.</summary>
    public static bool TryStrip(string text, out string url, out string document)
    {
        url = "";
        document = text;
        var firstEnd = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstEnd < 0 || !text.StartsWith(UrlPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var secondEnd = text.IndexOf('\n', firstEnd + 1);
        var second = secondEnd < 0 ? text[(firstEnd + 1)..] : text[(firstEnd + 1)..secondEnd];
        if (second.TrimEnd('\r') != Separator)
        {
            return false;
        }
        url = text[UrlPrefix.Length..firstEnd].Trim();
        document = secondEnd < 0 ? "" : text[(secondEnd + 1)..];
        return true;
    }
}
