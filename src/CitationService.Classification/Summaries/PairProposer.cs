using System.Text.Json;
using System.Text.RegularExpressions;
using CitationService.Classification.Data;

namespace CitationService.Classification.Summaries;

/// <summary>
/// Proposes (hub, citing summary) pairs from SciTLDR for people to label: one paper's abstract is the hub,
/// another paper's author TLDR the citing summary. The program only chooses which pairs are worth reading
/// (nearest neighbours by TF-IDF, plus a few farther pairs and pairs whose summary reports a failure or a
/// confirmation); it never assigns a label. Papers are split into train/dev/test pools first, so a hub and
/// its summaries never cross splits. SciTLDR's test.jsonl is never read.
/// </summary>
public static partial class PairProposer
{
    public sealed record Settings(int TrainHubs = 120, int DevHubs = 30, int TestHubs = 50, int PairsPerHub = 10, int MaxUsesPerSummary = 3);

    public static IReadOnlyList<SummaryPair> Propose(string sciTldrDir, Settings settings)
    {
        var papers = ReadSciTldr(Path.Combine(sciTldrDir, "train.jsonl"), "train")
            .Concat(ReadSciTldr(Path.Combine(sciTldrDir, "dev.jsonl"), "dev"))
            .GroupBy(p => p.Id).Select(g => g.First())
            .ToList();
        var pairs = new List<SummaryPair>();
        foreach (var (split, hubCount) in new[] { ("test", settings.TestHubs), ("dev", settings.DevHubs), ("train", settings.TrainHubs) })
        {
            var pool = papers.Where(p => PoolOf(p.Id) == split).ToList();
            pairs.AddRange(ProposeInPool(pool, split, hubCount, settings));
        }
        return pairs;
    }

    /// <summary>The split a SciTLDR paper belongs to: 25% test, 15% dev, 60% train, by a hash of its id.</summary>
    public static string PoolOf(string paperId)
    {
        var bucket = StableSplit.Bucket("summary-pool", paperId);
        return bucket < 250 ? "test" : bucket < 400 ? "dev" : "train";
    }

    private static List<SummaryPair> ProposeInPool(List<Paper> pool, string split, int hubCount, Settings settings)
    {
        var hubDocs = TfIdf.Build(pool.Select(p => p.Title + " " + p.Abstract).ToList());
        var citingDocs = hubDocs.Reuse(pool.Select(p => p.Title + " " + p.Summary + " " + p.Abstract).ToList());
        var n = pool.Count;
        var similarity = new float[n][];
        for (var i = 0; i < n; i++)
        {
            similarity[i] = new float[n];
            for (var j = 0; j < n; j++)
            {
                similarity[i][j] = i == j ? -1f : TfIdf.Cosine(hubDocs.Vectors[i], citingDocs[j]);
            }
        }

        // Hubs: papers with the most close neighbours; dataset/benchmark papers first, so that role is represented.
        var closeCount = Enumerable.Range(0, n).Select(i => similarity[i].Count(s => s >= 0.15f)).ToArray();
        var order = Enumerable.Range(0, n)
            .OrderByDescending(i => IntroducesResource().IsMatch(pool[i].Abstract) && closeCount[i] >= 3 ? 1 : 0)
            .ThenByDescending(i => closeCount[i])
            .ThenBy(i => pool[i].Id, StringComparer.Ordinal)
            .ToList();
        var datasetHubs = order.Count(i => IntroducesResource().IsMatch(pool[i].Abstract) && closeCount[i] >= 3);
        var hubs = order.Take(Math.Min(hubCount / 3, datasetHubs)).Concat(order.Skip(datasetHubs).Take(hubCount - Math.Min(hubCount / 3, datasetHubs))).ToList();

        var uses = new int[n];
        var pairs = new List<SummaryPair>();
        foreach (var h in hubs)
        {
            var chosen = new List<int>();
            bool Usable(int j) => j != h && uses[j] < settings.MaxUsesPerSummary && !chosen.Contains(j);
            var byCloseness = Enumerable.Range(0, n).Where(j => j != h).OrderByDescending(j => similarity[h][j]).ToList();
            chosen.AddRange(byCloseness.Where(Usable).Take(settings.PairsPerHub - 4));
            chosen.AddRange(byCloseness.Where(j => Usable(j) && ReportsFailure().IsMatch(pool[j].Summary)).Take(1));
            chosen.AddRange(byCloseness.Where(j => Usable(j) && ReportsConfirmation().IsMatch(pool[j].Summary)).Take(1));
            var far = byCloseness.Where(j => Usable(j) && similarity[h][j] is >= 0.03f and < 0.12f).ToList();
            chosen.AddRange(far.Where((_, k) => k % Math.Max(1, far.Count / 3) == 0).Take(settings.PairsPerHub - chosen.Count));
            foreach (var j in chosen)
            {
                uses[j]++;
                var hub = pool[h];
                var citing = pool[j];
                pairs.Add(new SummaryPair
                {
                    Id = $"scitldr-{hub.Id}-{citing.Id}",
                    HubKey = "scitldr:" + hub.Id,
                    HubTitle = hub.Title,
                    HubAbstract = hub.Abstract,
                    CitingTitle = citing.Title,
                    Summary = citing.Summary,
                    Source = $"SciTLDR {hub.File}.jsonl paper {hub.Id} (hub: title, abstract) / {citing.File}.jsonl paper {citing.Id} (citing: title, target[0] author TLDR)",
                    Split = split,
                });
            }
        }
        return pairs;
    }

    private sealed record Paper(string Id, string Title, string Abstract, string Summary, string File);

    private static IEnumerable<Paper> ReadSciTldr(string path, string file)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var abstractText = string.Join(" ", root.GetProperty("source").EnumerateArray().Select(s => s.GetString()));
            var summary = root.GetProperty("target").EnumerateArray().First().GetString() ?? "";
            yield return new Paper(root.GetProperty("paper_id").GetString()!, root.GetProperty("title").GetString() ?? "", abstractText, summary.Trim(), file);
        }
    }

    [GeneratedRegex(@"\bwe (introduce|present|release|propose|collect|construct|build|create)\b[^.]{0,100}\b(dataset|benchmark|corpus|suite|environment|testbed)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex IntroducesResource();

    [GeneratedRegex(@"\b(fail|fails|vulnerab\w*|limitations?|not robust|brittle|break\w*|flaw\w*|overestimat\w*|does not|do not|cannot|unreliable|misleading|ineffective|poorly|shortcomings?|pitfalls?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReportsFailure();

    [GeneratedRegex(@"\b(confirm\w*|consistent with|replicat\w*|reproduc\w*|validat\w*|corroborat\w*|explains? why|justif\w*|support\w* the)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReportsConfirmation();
}
