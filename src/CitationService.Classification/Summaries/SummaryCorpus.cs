using System.Text.Json;
using CitationService.Core.Model;

namespace CitationService.Classification.Summaries;

/// <summary>
/// The labelled summary corpus (<c>data/summaries/</c>): the proposed pairs (<c>candidates.jsonl</c>) joined with
/// the labels people gave them (<c>labels/first/*.tsv</c>: pair id, role, polarity), written to <c>pairs.jsonl</c>;
/// the blind second pass (<c>labels/second/*.tsv</c>) measures agreement.
/// </summary>
public static class SummaryCorpus
{
    public const string Folder = "summaries";
    public const string PairsFile = "pairs.jsonl";
    public const string CandidatesFile = "candidates.jsonl";

    public static readonly IReadOnlyList<string> Roles = ["BACKGROUND", "METHOD", "DATASET", "BASELINE", "EXTENSION", "OTHER"];
    public static readonly IReadOnlyList<string> Polarities = ["SUPPORTING", "NEUTRAL", "CONTRASTING"];

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The labelled pairs of <c>pairs.jsonl</c>, in file order.</summary>
    public static IReadOnlyList<SummaryPair> Load(string dataDir) =>
        ReadJsonl(Path.Combine(dataDir, Folder, PairsFile));

    /// <summary>Joins candidates and first-pass labels. Pairs whose citing paper is the hub itself (one work filed twice) are left out.</summary>
    /// <exception cref="InvalidDataException">A label line is malformed, names an unknown pair or label, or labels a pair twice.</exception>
    public static (IReadOnlyList<SummaryPair> Pairs, int Unlabelled, int SameWork) Build(string dataDir)
    {
        var folder = Path.Combine(dataDir, Folder);
        var candidates = ReadJsonl(Path.Combine(folder, CandidatesFile));
        var labels = ReadLabels(Path.Combine(folder, "labels", "first"), candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
        var pairs = new List<SummaryPair>();
        var unlabelled = 0;
        var sameWork = 0;
        foreach (var candidate in candidates)
        {
            if (!labels.TryGetValue(candidate.Id, out var label))
            {
                unlabelled++;
                continue;
            }
            if (TextNormalizer.NormalizeTitle(candidate.CitingTitle) == TextNormalizer.NormalizeTitle(candidate.HubTitle))
            {
                sameWork++;
                continue;
            }
            pairs.Add(candidate with { Role = label.Role, Polarity = label.Polarity });
        }
        return (pairs, unlabelled, sameWork);
    }

    public static void Write(string dataDir, IReadOnlyList<SummaryPair> pairs) =>
        File.WriteAllLines(Path.Combine(dataDir, Folder, PairsFile), pairs.Select(p => JsonSerializer.Serialize(p, Json)));

    /// <summary>Writes the proposed pairs to <c>candidates.jsonl</c> in <paramref name="corpusFolder"/>.</summary>
    public static void WriteCandidates(string corpusFolder, IReadOnlyList<SummaryPair> candidates) =>
        File.WriteAllLines(Path.Combine(corpusFolder, CandidatesFile), candidates.Select(p => JsonSerializer.Serialize(p, Json)));

    /// <summary>The candidates a first-pass label file in <paramref name="corpusFolder"/> covers, read and checked as <see cref="Build"/> reads them.</summary>
    /// <exception cref="InvalidDataException">A label line is malformed, names an unknown pair or label, or labels a pair twice.</exception>
    public static IReadOnlySet<string> LabelledIds(string corpusFolder, IReadOnlyList<SummaryPair> candidates) =>
        ReadLabels(Path.Combine(corpusFolder, "labels", "first"), candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal))
            .Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Agreement between the first pass and the blind second pass on the pairs both labelled.</summary>
    public static (Agreement Role, Agreement Polarity) MeasureAgreement(string dataDir)
    {
        var folder = Path.Combine(dataDir, Folder);
        var ids = ReadJsonl(Path.Combine(folder, CandidatesFile)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var first = ReadLabels(Path.Combine(folder, "labels", "first"), ids);
        var second = ReadLabels(Path.Combine(folder, "labels", "second"), ids);
        var both = second.Keys.Where(first.ContainsKey).Order(StringComparer.Ordinal).ToList();
        return (
            Agreement.Of(both.Select(id => first[id].Role).ToList(), both.Select(id => second[id].Role).ToList()),
            Agreement.Of(both.Select(id => first[id].Polarity).ToList(), both.Select(id => second[id].Polarity).ToList()));
    }

    private static Dictionary<string, (string Role, string Polarity)> ReadLabels(string folder, HashSet<string> known)
    {
        var labels = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return labels;
        }
        foreach (var file in Directory.GetFiles(folder, "*.tsv").Order(StringComparer.Ordinal))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }
                var parts = line.Split('\t');
                string Where() => $"{Path.GetFileName(file)}:{lineNumber}";
                if (parts.Length != 3)
                {
                    throw new InvalidDataException($"{Where()}: expected 'pair-id<TAB>ROLE<TAB>POLARITY'.");
                }
                var (id, role, polarity) = (parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
                if (!known.Contains(id))
                {
                    throw new InvalidDataException($"{Where()}: no candidate pair '{id}'.");
                }
                if (!Roles.Contains(role) || !Polarities.Contains(polarity))
                {
                    throw new InvalidDataException($"{Where()}: unknown label '{role}' / '{polarity}'.");
                }
                if (!labels.TryAdd(id, (role, polarity)))
                {
                    throw new InvalidDataException($"{Where()}: pair '{id}' is labelled twice.");
                }
            }
        }
        return labels;
    }

    private static List<SummaryPair> ReadJsonl(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<SummaryPair>(l, Json)!)];
}

/// <summary>Observed agreement and Cohen's κ of two labellings of the same items.</summary>
public sealed record Agreement(int Items, double Observed, double Kappa)
{
    public static Agreement Of(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("The two labellings differ in length.");
        }
        var n = a.Count;
        if (n == 0)
        {
            return new Agreement(0, 0, 0);
        }
        var observed = a.Zip(b).Count(p => p.First == p.Second) / (double)n;
        var expected = a.Concat(b).Distinct().Sum(label =>
            a.Count(x => x == label) / (double)n * (b.Count(x => x == label) / (double)n));
        var kappa = expected >= 1 ? 1 : (observed - expected) / (1 - expected);
        return new Agreement(n, observed, kappa);
    }
}
