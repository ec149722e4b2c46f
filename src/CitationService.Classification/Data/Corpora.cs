using System.Text.Json;

namespace CitationService.Classification.Data;

/// <summary>Loads the four citation corpora from <c>data/</c> and prepares them deterministically.</summary>
public static class Corpora
{
    public const string SciCite = "scicite";
    public const string AclArc = "acl-arc";
    public const string Act = "act-3c";
    public const string Athar = "athar";

    /// <summary>Athar rows longer than this (raw characters) are PDF-extraction noise and are dropped from every split.</summary>
    public const int AtharMaxRawLength = 1000;

    public static readonly IReadOnlyList<string> SciCiteLabels = ["background", "method", "result"];
    public static readonly IReadOnlyList<string> AclArcLabels = ["Background", "Uses", "CompareOrContrast", "Motivation", "Extends", "Future"];
    public static readonly IReadOnlyList<string> ActLabels = ["BACKGROUND", "USES", "COMPARES_CONTRASTS", "MOTIVATION", "EXTENSION", "FUTURE"];
    public static readonly IReadOnlyList<string> AtharLabels = ["p", "o", "n"];

    // 3C label ids (oacore README): 0 BACKGROUND, 1 COMPARES_CONTRASTS, 2 EXTENSION, 3 FUTURE, 4 MOTIVATION, 5 USES.
    private static readonly string[] ActIds = ["BACKGROUND", "COMPARES_CONTRASTS", "EXTENSION", "FUTURE", "MOTIVATION", "USES"];

    public static CorpusSplits LoadSciCite(string dataDir)
    {
        var dir = Path.Combine(dataDir, "scicite");
        var train = ReadJsonl(Path.Combine(dir, "train.jsonl"));
        var dev = ReadJsonl(Path.Combine(dir, "dev.jsonl"));
        var test = ReadJsonl(Path.Combine(dir, "test.jsonl"));
        return Prepare(SciCite, SciCiteLabels, train, dev, test, "official dev", "official test", 0);
    }

    public static CorpusSplits LoadAclArc(string dataDir)
    {
        var dir = Path.Combine(dataDir, "acl-arc");
        var train = ReadJsonl(Path.Combine(dir, "train.jsonl"));
        var dev = ReadJsonl(Path.Combine(dir, "dev.jsonl"));
        var test = ReadJsonl(Path.Combine(dir, "test.jsonl"));
        return Prepare(AclArc, AclArcLabels, train, dev, test, "official dev", "official test", 0);
    }

    /// <summary>ACT/3C: official train and test; dev = 20% of train grouped by citing paper (core_id).</summary>
    public static CorpusSplits LoadAct(string dataDir)
    {
        var dir = Path.Combine(dataDir, "act-3c");
        var trainRows = ReadAct(Path.Combine(dir, "train.csv"), ',');
        var test = ReadAct(Path.Combine(dir, "test.tsv"), '\t');
        var dev = trainRows.Where(r => StableSplit.InFraction("act-dev", r.Group, 0.2)).ToList();
        var train = trainRows.Where(r => !StableSplit.InFraction("act-dev", r.Group, 0.2)).ToList();
        return Prepare(Act, ActLabels, train, dev, test, "20% of train grouped by core_id", "official test", 0);
    }

    /// <summary>
    /// Athar: no official split. Test = 20% of citing papers (SHA-256 of the citing id), dev = 20% of the
    /// remaining citing papers (another salt), train = the rest. Rows over 1,000 raw characters are dropped.
    /// </summary>
    public static CorpusSplits LoadAthar(string dataDir)
    {
        var path = Path.Combine(dataDir, "citation-sentiment-athar", "citation_sentiment_corpus.txt");
        var rows = new List<LabeledText>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var parts = line.Split('\t');
            if (parts.Length < 4)
            {
                continue;
            }
            var text = string.Join('\t', parts[3..]).Trim();
            if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
            {
                text = text[1..^1].Replace("\"\"", "\"");
            }
            rows.Add(new LabeledText(text, parts[2].Trim(), parts[0].Trim()));
        }
        var test = rows.Where(r => StableSplit.InFraction("athar-test", r.Group, 0.2)).ToList();
        var rest = rows.Where(r => !StableSplit.InFraction("athar-test", r.Group, 0.2)).ToList();
        var dev = rest.Where(r => StableSplit.InFraction("athar-dev", r.Group, 0.2)).ToList();
        var train = rest.Where(r => !StableSplit.InFraction("athar-dev", r.Group, 0.2)).ToList();
        return Prepare(Athar, AtharLabels, train, dev, test,
            "20% of the non-test citing papers (SHA-256 of citing id, salt athar-dev)",
            "20% of citing papers (SHA-256 of citing id, salt athar-test)", AtharMaxRawLength);
    }

    /// <summary>
    /// Cleans every text; drops over-long raw rows (when <paramref name="maxRawLength"/> &gt; 0) and empty texts from all splits;
    /// from train only: drops texts that also occur in test or dev, texts with conflicting labels, and exact duplicates
    /// (<see cref="CorpusSplits.Train"/>, the production protocol). <see cref="CorpusSplits.OfficialTrain"/> is the train
    /// split as released with only conflicting-label texts and exact duplicates removed (the benchmark protocol).
    /// </summary>
    public static CorpusSplits Prepare(
        string name, IReadOnlyList<string> labels,
        IReadOnlyList<LabeledText> rawTrain, IReadOnlyList<LabeledText> rawDev, IReadOnlyList<LabeledText> rawTest,
        string devSource, string testSource, int maxRawLength)
    {
        var tooLong = 0;
        var empty = 0;
        List<LabeledText> CleanAll(IReadOnlyList<LabeledText> rows)
        {
            var result = new List<LabeledText>(rows.Count);
            foreach (var r in rows)
            {
                if (maxRawLength > 0 && r.Text.Length > maxRawLength)
                {
                    tooLong++;
                    continue;
                }
                var clean = TextPreprocessor.Clean(r.Text);
                if (clean.Length == 0)
                {
                    empty++;
                    continue;
                }
                if (!labels.Contains(r.Label))
                {
                    throw new InvalidDataException($"{name}: unknown label '{r.Label}'.");
                }
                result.Add(r with { Text = clean });
            }
            return result;
        }

        var train = CleanAll(rawTrain);
        var dev = CleanAll(rawDev);
        var test = CleanAll(rawTest);

        var testTexts = test.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
        var devTexts = dev.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);

        // Benchmark protocol: the train split as released, minus conflicting-label texts and exact duplicates.
        var (official, officialConflicting, officialDuplicates) = Deduplicate(train);
        var officialTexts = official.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);

        // Production protocol: additionally without any text that occurs in test or dev.
        var inTest = train.Count(r => testTexts.Contains(r.Text));
        train = [.. train.Where(r => !testTexts.Contains(r.Text))];
        var inDev = train.Count(r => devTexts.Contains(r.Text));
        train = [.. train.Where(r => !devTexts.Contains(r.Text))];

        var (deduped, conflicting, duplicates) = Deduplicate(train);
        var report = new PreparationReport
        {
            RawTrain = rawTrain.Count,
            RawDev = rawDev.Count,
            RawTest = rawTest.Count,
            DroppedTooLong = tooLong,
            DroppedEmpty = empty,
            DroppedInTest = inTest,
            DroppedInDev = inDev,
            DroppedConflicting = conflicting,
            DroppedDuplicates = duplicates,
            Train = deduped.Count,
            OfficialTrain = official.Count,
            OfficialDroppedConflicting = officialConflicting,
            OfficialDroppedDuplicates = officialDuplicates,
            TestInOfficialTrain = test.Count(r => officialTexts.Contains(r.Text)),
            DevInOfficialTrain = dev.Count(r => officialTexts.Contains(r.Text)),
            Dev = dev.Count,
            Test = test.Count,
            DevSource = devSource,
            TestSource = testSource,
        };
        return new CorpusSplits(name, labels, deduped, dev, test, report) { OfficialTrain = official };
    }

    /// <summary>Drops every row of a text that carries more than one label, then keeps the first row of each remaining text.</summary>
    public static (List<LabeledText> Rows, int Conflicting, int Duplicates) Deduplicate(IReadOnlyList<LabeledText> rows)
    {
        var labelsByText = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (!labelsByText.TryGetValue(r.Text, out var set))
            {
                labelsByText[r.Text] = set = [];
            }
            set.Add(r.Label);
        }
        var conflicting = 0;
        var duplicates = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<LabeledText>();
        foreach (var r in rows)
        {
            if (labelsByText[r.Text].Count > 1)
            {
                conflicting++;
                continue;
            }
            if (!seen.Add(r.Text))
            {
                duplicates++;
                continue;
            }
            result.Add(r);
        }
        return (result, conflicting, duplicates);
    }

    private static List<LabeledText> ReadJsonl(string path)
    {
        var rows = new List<LabeledText>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var text = doc.RootElement.GetProperty("text").GetString() ?? "";
            var label = doc.RootElement.GetProperty("label").GetString() ?? "";
            rows.Add(new LabeledText(text, label, ""));
        }
        return rows;
    }

    private static List<LabeledText> ReadAct(string path, char delimiter)
    {
        var rows = DelimitedReader.Read(path, delimiter);
        var header = rows[0];
        var ctx = Array.IndexOf(header, "citation_context");
        var lab = Array.IndexOf(header, "citation_class_label");
        var core = Array.IndexOf(header, "core_id");
        if (ctx < 0 || lab < 0 || core < 0)
        {
            throw new InvalidDataException($"{path}: missing columns.");
        }
        var result = new List<LabeledText>();
        foreach (var row in rows.Skip(1))
        {
            if (row.Length <= Math.Max(ctx, Math.Max(lab, core)))
            {
                throw new InvalidDataException($"{path}: short row '{string.Join('|', row)}'.");
            }
            var id = int.Parse(row[lab].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            result.Add(new LabeledText(row[ctx], ActIds[id], row[core].Trim()));
        }
        return result;
    }
}
