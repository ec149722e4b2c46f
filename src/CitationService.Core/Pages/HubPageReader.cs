using CitationService.Core.Model;

namespace CitationService.Core.Pages;

/// <summary>
/// One pass over a page's lines. Before the first count sentence or section marker (the preamble) the
/// last ordinary line is the hub's title; after it, each section marker switches what the following
/// lines mean. Citing papers are merged across the representative and explorer sections at the end.
/// </summary>
internal sealed class HubPageReader
{
    private readonly string[] _lines;
    private readonly int _lastLine;
    private readonly PageWarnings _warnings = new();
    private readonly ExplorerReader _explorer;

    private PageSection _section = PageSection.None;
    private bool _inPreamble = true;
    private string? _titleCandidate;
    private string? _title;
    private string _tierLabel = "";
    private bool _sawCountSentence;
    private int? _count;

    private readonly HashSet<PageSection> _seenSections = [];
    private readonly HashSet<PageSection> _repeatWarned = [];
    // True while reading the second copy of a section whose first copy already gave its content.
    private bool _sectionRepeated;
    private readonly List<string> _abstract = [];
    private readonly Dictionary<PageSection, List<StatedLabelCount>> _pairs = [];
    private readonly List<List<(string Text, bool IsLastLine)>> _representativeBlocks = [];

    public HubPageReader(string[] lines)
    {
        _lines = lines;
        _lastLine = Array.FindLastIndex(lines, l => l.Length > 0);
        _explorer = new ExplorerReader(_warnings);
    }

    public HubPage Read()
    {
        if (_lastLine < 0)
        {
            throw new HubPageFormatException("not a hub page: the text is empty");
        }
        for (var i = 0; i <= _lastLine; i++)
        {
            ReadLine(ref i);
        }
        var hasCitingSection = _seenSections.Contains(PageSection.RoleSummary)
            || _seenSections.Contains(PageSection.Representative)
            || _seenSections.Contains(PageSection.Explorer);
        if (!_sawCountSentence && !hasCitingSection)
        {
            throw new HubPageFormatException(
                "not a hub page: no count sentence ('N Pith papers cite this work') and no citing-paper section");
        }
        if (_title is null)
        {
            throw new HubPageFormatException(
                "no hub title: no title line before the count sentence or the first section");
        }
        var title = TextNormalizer.CollapseWhitespace(TextNormalizer.RepairHyphenation(_title));
        var papers = BuildCitingPapers();
        return new HubPage
        {
            Title = title,
            Abstract = string.Join(' ', _abstract),
            TierLabel = _tierLabel,
            StatedCitingCount = _count,
            ArxivId = PageLines.FindArxivId(title),
            Doi = PageLines.FindDoi(title),
            // The roles/polarities blocks repeat the summaries on some pages: use them only when the summary is empty.
            StatedRoleCounts = FirstNonEmpty(PageSection.RoleSummary, PageSection.Roles),
            StatedPolarityCounts = FirstNonEmpty(PageSection.PolaritySummary, PageSection.Polarities),
            CitingPapers = papers,
            Warnings = _warnings.ToList(),
        };
    }

    private void ReadLine(ref int i)
    {
        var line = _lines[i];
        if (line.Length == 0 || PageLines.IsHeader(line))
        {
            return;
        }
        var isLastLine = i == _lastLine;
        // Count sentences and tier labels live outside the sections that hold free text.
        if (_section is not (PageSection.Abstract or PageSection.Representative or PageSection.Explorer))
        {
            if (TryReadCount(line, ref i))
            {
                return;
            }
            if (PageLines.IsTierLabel(line))
            {
                if (_tierLabel.Length == 0)
                {
                    _tierLabel = line;
                }
                return;
            }
            if (PageLines.IsIgnorable(line))
            {
                return;
            }
        }
        var scanned = SectionMarkers.TryScan(line, out var segments);
        if (scanned && segments.Exists(s => s.Marker != PageSection.None))
        {
            foreach (var segment in segments)
            {
                if (segment.Pair is { } pair)
                {
                    AddPair(pair);
                }
                else
                {
                    EnterSection(segment.Marker);
                }
            }
            if (isLastLine && _section is PageSection.Representative or PageSection.Explorer)
            {
                _warnings.Add($"page ends at the '{SectionMarkers.Name(_section)}' marker: the section is missing");
            }
            return;
        }
        if (_inPreamble)
        {
            // Compact pages open with a citing paper's summary; the hub's title is the last line before the count.
            _titleCandidate = line;
            return;
        }
        ReadSectionLine(line, isLastLine, scanned ? segments : null);
    }

    private void ReadSectionLine(string line, bool isLastLine, List<LineSegment>? pairs)
    {
        switch (_section)
        {
            case PageSection.Abstract when !_sectionRepeated:
                _abstract.Add(line);
                if (isLastLine && !PageLines.EndsSentence(line))
                {
                    _warnings.Add("page ends mid-abstract: the abstract is cut off (kept as far as it goes)");
                }
                break;
            case PageSection.RoleSummary or PageSection.PolaritySummary or PageSection.Roles or PageSection.Polarities:
                foreach (var segment in pairs ?? [])
                {
                    AddPair(segment.Pair!);
                }
                if (isLastLine)
                {
                    _warnings.Add($"page ends in the '{SectionMarkers.Name(_section)}' section: its counts may be incomplete");
                }
                break;
            case PageSection.Representative when line != "-":
                _representativeBlocks[^1].Add((line, isLastLine));
                break;
            case PageSection.Explorer:
                _explorer.Add(line, isLastLine);
                break;
            default:
                // Text between the count and the first section, hub tools, facets, claims ledger bullets.
                break;
        }
    }

    private bool TryReadCount(string line, ref int i)
    {
        if (PageLines.TryReadCountSentence(line, out var number))
        {
            RecordCount(number);
            return true;
        }
        if (PageLines.IsReferenceShareSentence(line))
        {
            // "Canonical reference. 86% of citing Pith papers …": a count sentence without N.
            _sawCountSentence = true;
            ClosePreamble();
            return true;
        }
        if (PageLines.IsBareNumber(line))
        {
            // "1234" / "Pith papers citing it" split over two lines.
            var next = i + 1;
            while (next <= _lastLine && _lines[next].Length == 0)
            {
                next++;
            }
            if (next <= _lastLine && PageLines.IsCountSentenceTail(_lines[next]))
            {
                RecordCount(line);
                i = next;
                return true;
            }
        }
        return false;
    }

    private void RecordCount(string number)
    {
        _sawCountSentence = true;
        ClosePreamble();
        var count = PageLines.ParseCount(number);
        if (count is null)
        {
            _warnings.Add($"the stated count {number} is out of range and was ignored");
        }
        else if (_count is null)
        {
            _count = count;
        }
        else if (_count != count)
        {
            _warnings.Add($"the page states two citing counts ({_count} and {count}); the first was kept");
        }
    }

    private void ClosePreamble()
    {
        if (_inPreamble)
        {
            _inPreamble = false;
            _title = _titleCandidate;
        }
    }

    private void EnterSection(PageSection section)
    {
        ClosePreamble();
        _explorer.Flush();
        _section = section;
        _sectionRepeated = !_seenSections.Add(section);
        // One warning per repeated section, however often it repeats.
        if (_sectionRepeated && _repeatWarned.Add(section))
        {
            switch (section)
            {
                case PageSection.Abstract or PageSection.RoleSummary or PageSection.PolaritySummary
                    or PageSection.Roles or PageSection.Polarities:
                    _warnings.Add($"section '{SectionMarkers.Name(section)}' appears more than once; the first was kept");
                    break;
                case PageSection.Representative or PageSection.Explorer:
                    _warnings.Add($"section '{SectionMarkers.Name(section)}' appears more than once; its entries were merged");
                    break;
                default:
                    break;
            }
        }
        if (section == PageSection.Representative)
        {
            _representativeBlocks.Add([]);
        }
    }

    private void AddPair(StatedLabelCount pair)
    {
        if (_sectionRepeated || _section is not (PageSection.RoleSummary or PageSection.PolaritySummary
            or PageSection.Roles or PageSection.Polarities))
        {
            return;
        }
        if (!_pairs.TryGetValue(_section, out var list))
        {
            _pairs[_section] = list = [];
        }
        list.Add(pair);
    }

    private List<StatedLabelCount> FirstNonEmpty(PageSection summary, PageSection block) =>
        _pairs.TryGetValue(summary, out var s) && s.Count > 0 ? s
        : _pairs.TryGetValue(block, out var b) ? b
        : [];

    /// <summary>Explorer order, then representative papers the explorer does not list; one paper per title (or untitled summary).</summary>
    private List<PageCitingPaper> BuildCitingPapers()
    {
        var papers = new CitingPaperList();
        foreach (var draft in _explorer.Finish())
        {
            papers.Add(draft);
        }
        var representatives = new CitingPaperList();
        foreach (var draft in _representativeBlocks.SelectMany(ReadRepresentativeBlock))
        {
            representatives.Add(draft);
        }

        var bySummary = new Dictionary<string, CitingPaperDraft>(StringComparer.Ordinal);
        foreach (var paper in papers.Papers)
        {
            if (paper.Summary is not null)
            {
                bySummary.TryAdd(TextNormalizer.NormalizeTitle(paper.Summary), paper);
            }
        }
        // Only a page's last line is cut off, so few papers hold a cut-off summary: matching untitled
        // representatives against these alone, not every paper, keeps a page of many of each linear.
        var cutOff = papers.Papers.FindAll(p => p.CutOffSummary is not null);
        foreach (var representative in representatives.Papers)
        {
            var match = FindListing(representative, papers, bySummary, cutOff);
            if (match is not null)
            {
                match.FillFrom(representative);
                if (match.CutOffSummary is not null && !cutOff.Contains(match))
                {
                    cutOff.Add(match);
                }
                continue;
            }
            if (representative.Title.Length == 0)
            {
                _warnings.Add($"representative summary {PageWarnings.Quote(representative.Summary ?? "")} has no title on the page");
            }
            papers.Append(representative);
            if (representative.CutOffSummary is not null)
            {
                cutOff.Add(representative);
            }
        }
        if (CitingPaperList.DuplicateWarning(papers, representatives) is { } duplicates)
        {
            _warnings.Add(duplicates);
        }
        foreach (var paper in papers.Papers)
        {
            if (paper.Summary is null && paper.CutOffSummary is not null)
            {
                _warnings.Add($"page ends mid-entry: summary of '{paper.Title}' is cut off and was not kept");
            }
        }
        return papers.Papers.ConvertAll(p => p.ToPageCitingPaper());
    }

    // The explorer listing of a representative paper: same title, or (untitled) same summary, or a
    // summary the page cut off that the representative's complete summary starts with.
    private static CitingPaperDraft? FindListing(CitingPaperDraft representative,
        CitingPaperList listings, Dictionary<string, CitingPaperDraft> bySummary, List<CitingPaperDraft> cutOff)
    {
        if (representative.Title.Length > 0)
        {
            return listings.Find(representative.Key!);
        }
        if (representative.Summary is null)
        {
            return null;
        }
        var summary = TextNormalizer.NormalizeTitle(representative.Summary);
        if (bySummary.TryGetValue(summary, out var match))
        {
            return match;
        }
        return cutOff.Find(p => p.Summary is null && p.CutOffSummary is { Length: > 0 } cut
            && summary.StartsWith(TextNormalizer.NormalizeTitle(cut), StringComparison.Ordinal));
    }

    /// <summary>
    /// A representative section holds either summaries alone, one per line, or title / metadata / summary
    /// triplets; the presence of any metadata line tells them apart.
    /// </summary>
    private List<CitingPaperDraft> ReadRepresentativeBlock(List<(string Text, bool IsLastLine)> block)
    {
        var drafts = new List<CitingPaperDraft>();
        var metadata = block.ConvertAll(l => PageLines.TryReadMetadata(l.Text, l.IsLastLine));
        if (metadata.TrueForAll(m => m is null))
        {
            foreach (var (text, isLastLine) in block)
            {
                if (isLastLine && !PageLines.EndsSentence(text))
                {
                    _warnings.Add($"page ends mid-entry: representative summary {PageWarnings.Quote(text)} is cut off and was not kept");
                    continue;
                }
                drafts.Add(new CitingPaperDraft { Summary = text, Representative = true });
            }
            return drafts;
        }

        CitingPaperDraft? current = null;
        var expectSummary = false;
        for (var k = 0; k < block.Count; k++)
        {
            var (text, isLastLine) = block[k];
            if (metadata[k] is { } meta)
            {
                if (current is { Metadata: null, Summary: null, CutOffSummary: null })
                {
                    if (meta.Complete)
                    {
                        current.Metadata = meta;
                    }
                    else
                    {
                        _warnings.Add($"page ends mid-entry: the metadata line of {PageWarnings.Quote(current.Title)} is cut off and was ignored");
                    }
                    expectSummary = true;
                }
                else
                {
                    // Ignored, so it changes nothing: after a repeated metadata line the entry still expects its summary.
                    _warnings.Add($"a metadata line without a title was ignored: {PageWarnings.Quote(text)}");
                }
                continue;
            }
            var nextIsMetadata = k + 1 < block.Count && metadata[k + 1] is not null;
            if (current is null || !expectSummary || nextIsMetadata)
            {
                current = new CitingPaperDraft { Title = text, Representative = true };
                drafts.Add(current);
                expectSummary = true;
                if (isLastLine)
                {
                    _warnings.Add($"page ends after the title {PageWarnings.Quote(text)}: the rest of the entry is missing");
                }
                continue;
            }
            if (isLastLine && !PageLines.EndsSentence(text))
            {
                current.CutOffSummary = text;
            }
            else
            {
                current.Summary = text;
            }
            expectSummary = false;
        }
        return drafts;
    }
}
