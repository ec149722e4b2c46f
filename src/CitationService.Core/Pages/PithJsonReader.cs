using System.Globalization;
using System.Text;
using System.Text.Json;
using CitationService.Core.Model;

namespace CitationService.Core.Pages;

/// <summary>
/// Reads Pith's two JSON renderings of a hub: <c>/citations/&lt;uuid&gt;.json</c> (a <c>work</c> object, and a
/// <c>hub</c> object whose <c>state</c> holds the tier and the inbound count) and
/// <c>/citations/&lt;uuid&gt;/citers.json</c> (<c>total</c>, and <c>items</c> with one object per citing paper).
/// Documents fetched in pieces end anywhere, so the reader goes token by token and keeps what is complete
/// before the end: every complete work field and every complete item; an item cut mid-way is dropped.
/// </summary>
internal sealed class PithJsonReader
{
    private readonly PageWarnings _warnings = new();
    private readonly CitingPaperList _papers = new();
    private readonly Dictionary<string, JsonScalar> _root = new(StringComparer.Ordinal);
    // The hub object's own scalars: read past, since its state holds what a page carries.
    private readonly Dictionary<string, JsonScalar> _hub = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonScalar> _hubState = new(StringComparer.Ordinal);
    private Dictionary<string, JsonScalar>? _work;
    private bool _sawItems;
    private int _itemsSeen;
    private int _itemsRead;
    // Where the reader is, for the warning when the document ends there.
    private string _position = "";

    private delegate bool ValueReader(string name, ref Utf8JsonReader reader);

    /// <summary>True when the text is JSON: its first character other than whitespace (or a byte order mark) is '{'.</summary>
    public static bool IsJson(string text, out int start)
    {
        start = 0;
        while (start < text.Length && (char.IsWhiteSpace(text[start]) || text[start] == '\uFEFF'))
        {
            start++;
        }
        return start < text.Length && text[start] == '{';
    }

    /// <summary>Reads a document that starts with '{'.</summary>
    /// <exception cref="HubPageFormatException">Malformed JSON, neither form, or nothing that identifies a hub or a citing paper.</exception>
    public static HubPage Read(ReadOnlySpan<char> json)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(json)];
        Encoding.UTF8.GetBytes(json, utf8);
        return new PithJsonReader().ReadDocument(utf8);
    }

    private HubPage ReadDocument(byte[] utf8)
    {
        // Not the final block: a document that ends early makes Read return false instead of throwing, and a
        // value at the very end (a number, a literal) is only returned once something shows it is complete.
        var reader = new Utf8JsonReader(utf8, isFinalBlock: false, state: default);
        bool complete;
        try
        {
            complete = reader.Read() && ReadObject(ref reader, _root, ReadRootValue);
            // Whitespace may follow the document; anything else throws here.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new HubPageFormatException($"not a hub page: malformed JSON: {Describe(e)}");
        }
        return BuildPage(complete);
    }

    // The reader's reason with its position counted from 1 (the reader counts both from 0, and lines by line
    // feeds): "'I' is an invalid start of a value (line 2, byte 3 of the line)".
    private static string Describe(JsonException e)
    {
        var position = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (position >= 0 ? e.Message[..position] : e.Message).TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"{reason} (line {line + 1}, byte {column + 1} of the line)"
            : reason;
    }

    /// <summary>
    /// Reads the members of the object whose start the reader is on, up to its end: scalars into
    /// <paramref name="scalars"/> (the first of two equal names wins), objects and arrays through
    /// <paramref name="nested"/>, which leaves the reader on their last token. False when the text ends first.
    /// </summary>
    private static bool ReadObject(ref Utf8JsonReader reader, Dictionary<string, JsonScalar> scalars, ValueReader nested)
    {
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }
            var name = GetString(ref reader);
            if (!reader.Read())
            {
                return false;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (!nested(name, ref reader))
                {
                    return false;
                }
            }
            else
            {
                scalars.TryAdd(name, JsonScalar.Read(ref reader));
            }
        }
        return false;
    }

    private static bool Skip(string name, ref Utf8JsonReader reader) => reader.TrySkip();

    private bool ReadRootValue(string name, ref Utf8JsonReader reader)
    {
        var isObject = reader.TokenType == JsonTokenType.StartObject;
        switch (name)
        {
            case "work" when isObject && _work is null:
                _work = new Dictionary<string, JsonScalar>(StringComparer.Ordinal);
                return ReadPart(ref reader, _work, Skip, "inside the work object (its complete fields were kept)");
            case "hub" when isObject:
                return ReadPart(ref reader, _hub, ReadHubValue, "inside the hub object");
            case "items" when !isObject && !_sawItems:
                _sawItems = true;
                return ReadItems(ref reader);
            default:
                return reader.TrySkip();
        }
    }

    private bool ReadHubValue(string name, ref Utf8JsonReader reader) =>
        name == "state" && reader.TokenType == JsonTokenType.StartObject
            ? ReadPart(ref reader, _hubState, Skip, "inside the hub's state (its complete fields were kept)")
            : reader.TrySkip();

    private bool ReadPart(ref Utf8JsonReader reader, Dictionary<string, JsonScalar> into, ValueReader nested, string position)
    {
        var outer = _position;
        _position = position;
        if (!ReadObject(ref reader, into, nested))
        {
            return false;
        }
        _position = outer;
        return true;
    }

    private bool ReadItems(ref Utf8JsonReader reader)
    {
        _position = "in the items list";
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                _position = "";
                return true;
            }
            var index = ++_itemsSeen;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                _warnings.Add($"item {index} is not an object and was skipped");
                if (!reader.TrySkip())
                {
                    return false;
                }
                continue;
            }
            _position = $"inside item {index}, which was dropped";
            var item = new Dictionary<string, JsonScalar>(StringComparer.Ordinal);
            if (!ReadObject(ref reader, item, Skip))
            {
                return false;
            }
            _position = "in the items list";
            _itemsRead++;
            AddItem(item, index);
        }
        return false;
    }

    private void AddItem(Dictionary<string, JsonScalar> item, int index)
    {
        var title = Text(item, "paper_title");
        var summary = Text(item, "one_line_summary");
        if (title.Length == 0 && summary.Length == 0)
        {
            _warnings.Add($"item {index} has neither a paper_title nor a one_line_summary and was skipped");
            return;
        }
        var (submittedAt, submittedDate) = ReadSubmitted(item, index);
        var context = Text(item, "context_text");
        _papers.Add(new CitingPaperDraft
        {
            Title = title,
            Summary = summary.Length > 0 ? summary : null,
            Metadata = new PaperMetadata(Text(item, "primary_cat"), submittedDate, Text(item, "verdict"),
                Float(item, "novelty_score"), Count(item, "ref_count"), Complete: true),
            Details = new PaperDetails(Text(item, "citing_arxiv_id"), submittedAt, Float(item, "confidence"),
                context.Length > 0 ? context : null, Count(item, "context_count"),
                Text(item, "top_context_role").ToLowerInvariant(), Text(item, "top_context_polarity").ToLowerInvariant()),
        });
    }

    // "2026-05-22T17:45:49+00:00": the time with its offset, and the date as written. A bare date gives no time.
    private (DateTimeOffset? At, DateOnly? Date) ReadSubmitted(Dictionary<string, JsonScalar> item, int index)
    {
        var text = Text(item, "submitted_at");
        if (text.Length == 0)
        {
            return (null, null);
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (null, date);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return (at, DateOnly.FromDateTime(at.DateTime));
        }
        _warnings.Add($"item {index}'s submitted_at {PageWarnings.Quote(text)} is not a date and was ignored");
        return (null, null);
    }

    private HubPage BuildPage(bool complete)
    {
        var work = _work ?? [];
        // display_title is Pith's cleaned title; raw_key is what its pages show for an unresolved reference.
        var title = TextNormalizer.CollapseWhitespace(TextNormalizer.RepairHyphenation(
            FirstText(work, "display_title", "title", "raw_key")));
        var sourceId = Text(work, "id");
        if (title.Length == 0 && sourceId.Length == 0 && _papers.Papers.Count == 0)
        {
            throw new HubPageFormatException(RejectionMessage(complete));
        }

        var warnings = new List<string>();
        if (!complete)
        {
            var where = _position.Length > 0 ? " " + _position : "";
            var stated = Count(_root, "total") is { } total ? $" (it states a total of {total})" : "";
            warnings.Add($"the JSON document is cut off{where}: {_itemsRead} complete item(s) read{stated}");
        }
        if (_work is not null && title.Length == 0)
        {
            warnings.Add("the work object gives no title");
        }
        if (CitingPaperList.DuplicateWarning(_papers) is { } duplicates)
        {
            warnings.Add(duplicates);
        }
        return new HubPage
        {
            Title = title,
            DescribesHub = _work is not null,
            SourceId = sourceId,
            Abstract = Text(work, "abstract"),
            TierLabel = TierWording(Text(_hubState, "tier") is { Length: > 0 } tier ? tier : Text(work, "tier")),
            StatedCitingCount = StatedCount(_hubState, "pith_inbound_count") ?? StatedCount(work, "pith_inbound_count")
                ?? StatedCount(_root, "total"),
            ArxivId = Text(work, "arxiv_id") is { Length: > 0 } arxivId ? arxivId : PageLines.FindArxivId(title),
            Doi = Text(work, "doi") is { Length: > 0 } doi ? doi : PageLines.FindDoi(title),
            Authors = Text(work, "authors_text"),
            Year = Count(work, "year"),
            Venue = Text(work, "venue"),
            CitingPapers = _papers.Papers.ConvertAll(p => p.ToPageCitingPaper()),
            Warnings = [.. warnings, .. _warnings.ToList()],
        };
    }

    private string RejectionMessage(bool complete)
    {
        var cut = complete ? "" : " before it is cut off";
        return _work is null && !_sawItems
            ? $"not a hub page: the JSON document has neither a 'work' object (Pith's <uuid>.json) nor an 'items' list (<uuid>/citers.json){cut}"
            : $"not a hub page: the JSON document gives no work title or id and no citing-paper item{cut}";
    }

    // "super_hub" → "super hub", as the text pages print it.
    private static string TierWording(string tier) => TextNormalizer.CollapseWhitespace(tier.Replace('_', ' ')).ToLowerInvariant();

    private int? StatedCount(Dictionary<string, JsonScalar> scalars, string name)
    {
        if (!scalars.TryGetValue(name, out var value) || value.Type != JsonTokenType.Number)
        {
            return null;
        }
        var count = Count(scalars, name);
        if (count is null)
        {
            _warnings.Add($"the stated count {PageWarnings.Quote(value.Text)} ({name}) is out of range and was ignored");
        }
        return count;
    }

    /// <summary>A string member, whitespace collapsed; "" when absent, null or not a string.</summary>
    private static string Text(Dictionary<string, JsonScalar> scalars, string name) =>
        scalars.TryGetValue(name, out var value) && value.Type == JsonTokenType.String
            ? TextNormalizer.CollapseWhitespace(value.Text)
            : "";

    private static string FirstText(Dictionary<string, JsonScalar> scalars, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (Text(scalars, name) is { Length: > 0 } text)
            {
                return text;
            }
        }
        return "";
    }

    /// <summary>A whole number from 0 to int.MaxValue ("2022", "2022.0"); null otherwise.</summary>
    private static int? Count(Dictionary<string, JsonScalar> scalars, string name) =>
        scalars.TryGetValue(name, out var value) && value.Type == JsonTokenType.Number
        && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        && number >= 0 && number <= int.MaxValue && decimal.Truncate(number) == number
            ? (int)number
            : null;

    private static float? Float(Dictionary<string, JsonScalar> scalars, string name) =>
        scalars.TryGetValue(name, out var value) && value.Type == JsonTokenType.Number
        && float.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && float.IsFinite(number)
            ? number
            : null;

    private static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException e)
        {
            // An escaped lone surrogate ("\ud800") passes the reader but cannot become a .NET string.
            throw new HubPageFormatException($"not a hub page: malformed JSON: {e.Message}");
        }
    }

    /// <summary>A member's value other than an object or array: a string's text, a number's digits, or the literal.</summary>
    private readonly record struct JsonScalar(JsonTokenType Type, string Text)
    {
        public static JsonScalar Read(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.String => new JsonScalar(JsonTokenType.String, GetString(ref reader)),
            _ => new JsonScalar(reader.TokenType, Encoding.UTF8.GetString(reader.ValueSpan)),
        };
    }
}
