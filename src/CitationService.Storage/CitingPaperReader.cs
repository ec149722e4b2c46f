using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CitationService.Core.Model;

namespace CitationService.Storage;

/// <summary>
/// Maps rows of <see cref="Columns"/> to <see cref="CitingPaper"/> by column ordinal: the read path of lists
/// and streams, where per-row reflection, boxing and a JSON deserialisation per probability map cost more
/// than the query itself.
/// </summary>
internal static class CitingPaperReader
{
    /// <summary>
    /// The SELECT list <see cref="Read"/> reads, in ordinal order, over <see cref="From"/>: <c>c</c> is
    /// <c>citing_papers</c>, <c>lr</c> and <c>lp</c> the paper's role and polarity rows of <c>citing_paper_labels</c>.
    /// </summary>
    internal const string Columns = """
        c.id, c.hub_id, c.position, c.title, c.summary, c.arxiv_id, c.primary_category, c.submitted_date,
        c.verdict, c.novelty_score, c.reference_count, c.representative,
        lr.label, lr.confidence, lr.probabilities, lr.source_version,
        lp.label, lp.confidence, lp.probabilities, lp.source_version,
        c.submitted_at, c.link_confidence, c.context_text, c.context_count,
        c.source_role, c.source_polarity, c.source_labels_from, lr.input
        """;

    /// <summary>The FROM clause of <see cref="Columns"/>: each paper with its label of each task, if any.</summary>
    internal const string From = $"""
        FROM citing_papers c
        LEFT JOIN citing_paper_labels lr ON lr.paper_key = c.paper_key AND lr.task = '{LabelTasks.Role}'
        LEFT JOIN citing_paper_labels lp ON lp.paper_key = c.paper_key AND lp.task = '{LabelTasks.Polarity}'
        """;

    private const int Id = 0;
    private const int HubId = 1;
    private const int Position = 2;
    private const int Title = 3;
    private const int Summary = 4;
    private const int ArxivId = 5;
    private const int PrimaryCategory = 6;
    private const int SubmittedDate = 7;
    private const int Verdict = 8;
    private const int NoveltyScore = 9;
    private const int ReferenceCount = 10;
    private const int Representative = 11;
    private const int Role = 12;
    private const int Polarity = 16;
    private const int SubmittedAt = 20;
    private const int LinkConfidence = 21;
    private const int ContextText = 22;
    private const int ContextCount = 23;
    private const int SourceRole = 24;
    private const int SourcePolarity = 25;
    private const int SourceLabelsFrom = 26;
    private const int LabelSource = 27;

    // A prediction's four columns follow its label: label, confidence, probabilities, source version.
    private const int Confidence = 1;
    private const int Probabilities = 2;
    private const int ModelVersion = 3;

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The paper at the reader's current row.</summary>
    /// <param name="reader">A reader positioned on a row of <see cref="Columns"/>.</param>
    /// <param name="hubId">The hub id every row is known to have (the query's own), or null to read it.</param>
    public static CitingPaper Read(DbDataReader reader, string? hubId = null) => new()
    {
        Id = reader.GetString(Id),
        HubId = hubId ?? reader.GetString(HubId),
        Title = reader.GetString(Title),
        Summary = reader.IsDBNull(Summary) ? null : reader.GetString(Summary),
        ArxivId = reader.GetString(ArxivId),
        PrimaryCategory = reader.GetString(PrimaryCategory),
        SubmittedDate = reader.IsDBNull(SubmittedDate)
            ? null
            : DateOnly.ParseExact(reader.GetString(SubmittedDate), DateFormat, CultureInfo.InvariantCulture),
        Verdict = reader.GetString(Verdict),
        NoveltyScore = reader.IsDBNull(NoveltyScore) ? null : (float)reader.GetDouble(NoveltyScore),
        ReferenceCount = reader.IsDBNull(ReferenceCount) ? null : checked((int)reader.GetInt64(ReferenceCount)),
        Representative = reader.GetInt64(Representative) != 0,
        Position = checked((int)reader.GetInt64(Position)),
        Role = ReadPrediction(reader, Role, static value => unchecked((CitationRole)value)),
        Polarity = ReadPrediction(reader, Polarity, static value => unchecked((CitationPolarity)value)),
        SubmittedAt = reader.IsDBNull(SubmittedAt) ? null : SqlCitationStore.ParseTimestamp(reader.GetString(SubmittedAt)),
        LinkConfidence = reader.IsDBNull(LinkConfidence) ? null : (float)reader.GetDouble(LinkConfidence),
        ContextText = reader.IsDBNull(ContextText) ? null : reader.GetString(ContextText),
        ContextCount = reader.IsDBNull(ContextCount) ? null : checked((int)reader.GetInt64(ContextCount)),
        LabelSource = reader.IsDBNull(LabelSource) ? default : (Core.Classification.LabelSource)reader.GetInt64(LabelSource),
        SourceLabels = reader.GetString(SourceLabelsFrom) is { Length: > 0 } from
            ? new SourceLabels(reader.GetString(SourceRole), reader.GetString(SourcePolarity), from)
            : null,
    };

    private static LabelPrediction<T>? ReadPrediction<T>(DbDataReader reader, int label, Func<long, T> toLabel)
        where T : struct, Enum
    {
        if (reader.IsDBNull(label))
        {
            return null;
        }
        return new LabelPrediction<T>(
            toLabel(reader.GetInt64(label)),
            (float)reader.GetDouble(label + Confidence),
            ProbabilityText.Parse<T>(reader.GetString(label + Probabilities)),
            reader.GetString(label + ModelVersion));
    }
}

/// <summary>
/// Reads the probability maps the store writes: a JSON object keyed by label name, in label order, e.g.
/// <c>{"Supporting":0.0066,"Neutral":0.95,"Contrasting":0.043}</c>.
/// </summary>
internal static class ProbabilityText
{
    // A float as JSON writes it is at most ~15 characters; anything longer takes the general path.
    private const int MaxNumberLength = 64;

    /// <summary>
    /// The labels and probabilities of <paramref name="json"/>; names that are no label of <typeparamref name="T"/>
    /// are skipped; empty for null or "". The text as the store writes it is scanned directly; any other text
    /// (whitespace, escapes, repeated or unordered names, numbers outside the single range) goes through
    /// <see cref="JsonSerializer"/>, which also decides what is malformed.
    /// </summary>
    public static Dictionary<T, float> Parse<T>(string? json)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        return TryParseCanonical<T>(json) ?? ParseGeneral<T>(json);
    }

    /// <summary>Any JSON object of numbers, as <see cref="JsonSerializer"/> reads it.</summary>
    internal static Dictionary<T, float> ParseGeneral<T>(string json)
        where T : struct, Enum
    {
        var result = new Dictionary<T, float>();
        foreach (var (name, probability) in JsonSerializer.Deserialize<Dictionary<string, float>>(json) ?? [])
        {
            if (Enum.TryParse<T>(name, ignoreCase: false, out var label))
            {
                result[label] = probability;
            }
        }
        return result;
    }

    /// <summary>
    /// The map when <paramref name="json"/> is <c>{"Name":number,...}</c> with no whitespace or escapes, each name
    /// a label's exact name, labels in increasing order, each number a finite single; otherwise null.
    /// </summary>
    internal static Dictionary<T, float>? TryParseCanonical<T>(string json)
        where T : struct, Enum
    {
        var labels = Labels<T>.ByValue;
        var text = json.AsSpan();
        if (text.Length < 2 || text[0] != '{' || text[^1] != '}')
        {
            return null;
        }
        var result = new Dictionary<T, float>(labels.Length);
        var i = 1;
        var last = -1;
        if (text.Length == 2)
        {
            return result;
        }
        while (true)
        {
            // "Name":
            if (text[i] != '"')
            {
                return null;
            }
            var nameEnd = text[(i + 1)..].IndexOf('"');
            if (nameEnd < 0)
            {
                return null;
            }
            var name = text.Slice(i + 1, nameEnd);
            i += nameEnd + 2;
            if (i >= text.Length || text[i] != ':')
            {
                return null;
            }
            i++;

            // number
            var numberEnd = i;
            while (numberEnd < text.Length && text[numberEnd] is not (',' or '}'))
            {
                numberEnd++;
            }
            if (numberEnd == text.Length || !TryParseNumber(text[i..numberEnd], out var probability))
            {
                return null;
            }

            var index = IndexOf(labels, name);
            if (index <= last)
            {
                return null;
            }
            last = index;
            result.Add(labels[index].Label, probability);

            i = numberEnd + 1;
            if (text[numberEnd] == '}')
            {
                return i == text.Length ? result : null;
            }
        }
    }

    private static int IndexOf<T>((string Name, T Label)[] labels, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (name.SequenceEqual(labels[i].Name))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// A JSON number (RFC 8259 grammar) parsed by the same routine <see cref="Utf8JsonReader.GetSingle"/> uses,
    /// so the value is the one the general path reads; false for anything else, or a value that is not finite.
    /// </summary>
    private static bool TryParseNumber(ReadOnlySpan<char> number, out float value)
    {
        value = 0;
        if (number.Length is 0 or > MaxNumberLength || !IsJsonNumber(number))
        {
            return false;
        }
        Span<byte> utf8 = stackalloc byte[MaxNumberLength];
        for (var i = 0; i < number.Length; i++)
        {
            utf8[i] = (byte)number[i];
        }
        return Utf8Parser.TryParse(utf8[..number.Length], out value, out var consumed)
            && consumed == number.Length
            && float.IsFinite(value);
    }

    private static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (s[i] == '-')
        {
            i++;
        }
        if (i == s.Length)
        {
            return false;
        }
        if (s[i] == '0')
        {
            i++;
        }
        else if (char.IsAsciiDigit(s[i]) && s[i] != '0')
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }
        else
        {
            return false;
        }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        return i == s.Length;
    }

    /// <summary>The labels of <typeparamref name="T"/> with their names, by increasing value.</summary>
    private static class Labels<T>
        where T : struct, Enum
    {
        public static readonly (string Name, T Label)[] ByValue =
            [.. Enum.GetValues<T>().Order().Select(label => (label.ToString(), label))];
    }
}
