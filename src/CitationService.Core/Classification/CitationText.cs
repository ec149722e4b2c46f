using CitationService.Core.Model;

namespace CitationService.Core.Classification;

/// <summary>Which kind of text is classified; each kind has its own models.</summary>
public enum TextKind
{
    /// <summary>A citing paper's one-line summary of itself, read together with its hub.</summary>
    Summary = 0,
    /// <summary>A sentence of the citing paper that cites the hub.</summary>
    CitationSentence = 1,
}

/// <summary>The hub a text cites, as the summary models read it.</summary>
/// <param name="Title">The hub's title.</param>
/// <param name="Abstract">The hub's abstract; empty when unknown.</param>
/// <param name="TierLabel">The page's tier label ("hub Tool reference"); empty when none.</param>
/// <remarks>
/// The page's own role counts are not part of it: only a handful of labelled hubs have them, too few to learn
/// from. Value equality (all strings), so a hub read twice is the same key in the classifier's cache.
/// </remarks>
public sealed record HubText(string Title, string Abstract, string TierLabel)
{
    /// <summary>No hub known: the summary models then read the text alone.</summary>
    public static readonly HubText None = new("", "", "");

    public static HubText From(Hub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return new HubText(hub.Title, hub.Abstract, hub.TierLabel);
    }
}

/// <summary>One text to classify: its kind, and for a summary the hub it cites.</summary>
public sealed record CitationText(string Text, TextKind Kind, HubText Hub)
{
    /// <summary>A one-line summary of a paper that cites <paramref name="hub"/>.</summary>
    public static CitationText Summary(string text, HubText hub) => new(text, TextKind.Summary, hub);

    /// <summary>A citation sentence (the hub is not read by the sentence models).</summary>
    public static CitationText Sentence(string text) => new(text, TextKind.CitationSentence, HubText.None);
}
