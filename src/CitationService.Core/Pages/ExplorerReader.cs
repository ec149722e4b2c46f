namespace CitationService.Core.Pages;

/// <summary>
/// Reads the "citing papers explorer": entries separated by a <c>-</c> line (title, then a one-line
/// summary), or <c>- Title</c> entries without a summary.
/// </summary>
internal sealed class ExplorerReader(PageWarnings warnings)
{
    private readonly List<CitingPaperDraft> _entries = [];
    private CitingPaperDraft? _current;

    /// <summary>Reads one non-blank line of the section; <paramref name="isLastLine"/> when the page ends with it.</summary>
    public void Add(string line, bool isLastLine)
    {
        if (line == "-")
        {
            Flush();
            _current = new CitingPaperDraft();
            return;
        }
        if (line.StartsWith("- ", StringComparison.Ordinal))
        {
            // A title on the separator line is complete even at the very end of the page: titles carry no
            // closing punctuation, and this form never has more than the title.
            Flush();
            _current = new CitingPaperDraft { Title = line[2..].Trim() };
            return;
        }
        var metadata = PageLines.TryReadMetadata(line, isLastLine);
        if (metadata is not null)
        {
            AddMetadata(metadata);
            return;
        }
        if (_current is null || (_current.Title.Length > 0 && (_current.Summary ?? _current.CutOffSummary) is not null))
        {
            // No separator before this entry: a listing without "-" lines still alternates title and summary.
            Flush();
            _current = new CitingPaperDraft();
        }
        if (_current.Title.Length == 0)
        {
            _current.Title = line;
            if (isLastLine)
            {
                warnings.Add($"page ends after the title {PageWarnings.Quote(line)}: the rest of the entry may be cut off");
            }
            return;
        }
        // The summary. When the page ends inside it, it is kept aside (see CitingPaperDraft.CutOffSummary).
        if (isLastLine && !PageLines.EndsSentence(line))
        {
            _current.CutOffSummary = line;
        }
        else
        {
            _current.Summary = line;
        }
    }

    /// <summary>Ends the current entry, e.g. when another section starts.</summary>
    public void Flush()
    {
        if (_current is { IsEmpty: false })
        {
            _entries.Add(_current);
        }
        _current = null;
    }

    /// <summary>The entries read so far, in page order.</summary>
    public List<CitingPaperDraft> Finish()
    {
        Flush();
        return _entries;
    }

    private void AddMetadata(PaperMetadata metadata)
    {
        if (_current is not { Metadata: null } || _current.Title.Length == 0)
        {
            warnings.Add("a metadata line without a title in the citing papers explorer was ignored");
            return;
        }
        if (metadata.Complete)
        {
            _current.Metadata = metadata;
        }
        else
        {
            warnings.Add($"page ends mid-entry: the metadata line of {PageWarnings.Quote(_current.Title)} is cut off and was ignored");
        }
    }
}
