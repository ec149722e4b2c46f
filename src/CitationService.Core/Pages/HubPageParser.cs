namespace CitationService.Core.Pages;

/// <summary>Reads Pith hub page text renderings (see seeds/README.md for the variations).</summary>
public static class HubPageParser
{
    /// <summary>Parses one page.</summary>
    /// <exception cref="HubPageFormatException">The text is not a hub page.</exception>
    public static HubPage Parse(string text)
    {
        throw new NotImplementedException();
    }
}
