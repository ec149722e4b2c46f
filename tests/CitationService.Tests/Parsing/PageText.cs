namespace CitationService.Tests.Parsing;

/// <summary>Builds synthetic page text from lines.</summary>
internal static class PageText
{
    public static string Of(params string[] lines) => string.Join("\n", lines);

    /// <summary>A compact page with the given lines between the count sentence and the end.</summary>
    public static string Compact(params string[] body) =>
        Of(["Opening summary of one citing paper.", "hub", "A Hub Title", "2 Pith papers cite this work.", .. body]);
}
