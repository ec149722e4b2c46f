using System.Text.Json;
using System.Text.RegularExpressions;
using CitationService.Classification.Data;
using CitationService.Classification.Runtime;

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
    public sealed record Settings(int TrainHubs = 120, int DevHubs = 30, int TestHubs = 50, int PairsPerHub = 10, int MaxUsesPerSummary = 3, int MaxNamedPerHub = 6, int MoreTrainHubs = 150, int PairsPerMoreHub = 8);

    public static IReadOnlyList<SummaryPair> Propose(string sciTldrDir, Settings settings)
    {
        var papers = ReadSciTldr(Path.Combine(sciTldrDir, "train.jsonl"), "train")
            .Concat(ReadSciTldr(Path.Combine(sciTldrDir, "dev.jsonl"), "dev"))
            .GroupBy(p => p.Id).Select(g => g.First())
            .ToList();
        var pairs = new List<SummaryPair>();
        var secondRound = new List<SummaryPair>();
        var thirdRound = new List<SummaryPair>();
        foreach (var (split, hubCount) in new[] { ("test", settings.TestHubs), ("dev", settings.DevHubs), ("train", settings.TrainHubs) })
        {
            var pool = papers.Where(p => PoolOf(p.Id) == split).ToList();
            pairs.AddRange(ProposeInPool(pool, split, hubCount, settings, secondRound, split == "train" ? thirdRound : null));
        }
        pairs.AddRange(secondRound);
        // Second round: pairs whose citing title or summary names the hub's method, model or resource,
        // where uses, extensions and benchmark evaluations are to be found.
        var proposed = pairs.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        pairs.AddRange(ProposeNamed(papers, settings).Where(p => proposed.Add(p.Id)));
        // Third round, training data only: more hubs of the train pool, each with its closest summaries.
        pairs.AddRange(thirdRound.Where(p => proposed.Add(p.Id)));
        return pairs;
    }

    /// <summary>
    /// Real (hub, citing paper) pairs from ACT/3C's test.tsv: the cited paper's title and abstract, the citing
    /// paper's title standing in for its summary (ACT/3C gives none), and the citation context for the annotator
    /// to read. Every use, extension, comparison and future-work row with an abstract is proposed, and every
    /// fourth background/motivation row; ACT/3C's own labels only choose what is worth reading. These pairs
    /// are training data only: dev and test hold one-line summaries alone.
    /// </summary>
    public static IReadOnlyList<SummaryPair> ProposeAct(string actTestPath)
    {
        var rows = DelimitedReader.Read(actTestPath, '\t');
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{actTestPath}: no column '{name}'.");
        var (id, citingTitle, citedTitle, citedAbstract, context, label) = (Column("unique_id"), Column("citing_title"),
            Column("cited_title"), Column("cited_abstract"), Column("citation_context"), Column("citation_class_label"));
        var pairs = new List<SummaryPair>();
        var backgroundSeen = 0;
        foreach (var row in rows.Skip(1).Where(r => r.Length == header.Length))
        {
            if (row[citedAbstract].Trim().Length < 50)
            {
                continue;
            }
            // 0 BACKGROUND and 4 MOTIVATION are most of ACT/3C; one in four is enough to read.
            if (row[label] is "0" or "4" && backgroundSeen++ % 4 != 0)
            {
                continue;
            }
            pairs.Add(new SummaryPair
            {
                Id = "act-" + row[id],
                HubKey = "act:" + Core.Model.TextNormalizer.NormalizeTitle(row[citedTitle]),
                HubTitle = row[citedTitle].Trim(),
                HubAbstract = row[citedAbstract].Trim(),
                CitingTitle = row[citingTitle].Trim(),
                Summary = row[citingTitle].Trim(),
                Context = row[context].Trim(),
                Source = $"ACT/3C test.tsv {row[id]} (cited title and abstract; citing title as the summary; citation_context)",
                Split = "train",
            });
        }
        return pairs;
    }

    /// <summary>Pairs in one pool where the citing title or summary names the hub (its title's prefix before a colon, or an acronym its abstract defines).</summary>
    private static IEnumerable<SummaryPair> ProposeNamed(List<Paper> papers, Settings settings)
    {
        var pools = papers.GroupBy(p => PoolOf(p.Id)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var hub in papers.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var names = HubNames(hub);
            if (names.Count == 0)
            {
                continue;
            }
            var split = PoolOf(hub.Id);
            var citing = pools[split]
                .Where(c => c.Id != hub.Id && !SameWork(hub, c) && names.Any(n => NamedIn(n, c.Title + " " + c.Summary)))
                .OrderBy(c => c.Id, StringComparer.Ordinal)
                .Take(settings.MaxNamedPerHub);
            foreach (var c in citing)
            {
                yield return ToPair(hub, c, split, "name");
            }
        }
    }

    private static IReadOnlyList<string> HubNames(Paper hub) => SummaryFeaturizer.HubNames(hub.Title, hub.Abstract);

    private static bool NamedIn(string name, string text) => SummaryFeaturizer.NamedIn(name, text);

    // Two SciTLDR records of one work (a paper submitted twice) are not a citation.
    private static bool SameWork(Paper a, Paper b) =>
        string.Equals(Core.Model.TextNormalizer.NormalizeTitle(a.Title), Core.Model.TextNormalizer.NormalizeTitle(b.Title), StringComparison.Ordinal);


    /// <summary>The split a SciTLDR paper belongs to: 25% test, 15% dev, 60% train, by a hash of its id.</summary>
    public static string PoolOf(string paperId)
    {
        var bucket = StableSplit.Bucket("summary-pool", paperId);
        return bucket < 250 ? "test" : bucket < 400 ? "dev" : "train";
    }

    private static List<SummaryPair> ProposeInPool(List<Paper> pool, string split, int hubCount, Settings settings, List<SummaryPair> secondRound, List<SummaryPair>? thirdRound)
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
                pairs.Add(ToPair(pool[h], pool[j], split, "neighbour"));
            }

            // Second round, for the rarer relations: more close summaries that question or explain something,
            // and for a hub that introduces a resource, close summaries that evaluate.
            var near = byCloseness.Where(j => !chosen.Contains(j) && !SameWork(pool[h], pool[j]) && similarity[h][j] >= 0.08f).ToList();
            var extra = near.Where(j => QuestionsOrExplains().IsMatch(pool[j].Summary)).Take(4)
                .Concat(IntroducesResource().IsMatch(pool[h].Abstract)
                    ? near.Where(j => similarity[h][j] >= 0.15f && Evaluates().IsMatch(pool[j].Summary)).Take(3)
                    : [])
                .Distinct();
            secondRound.AddRange(extra.Select(j => ToPair(pool[h], pool[j], split, "cue")));
        }

        if (thirdRound is not null)
        {
            foreach (var h in order.Where(i => !hubs.Contains(i)).Take(settings.MoreTrainHubs))
            {
                var byCloseness = Enumerable.Range(0, n).Where(j => j != h && !SameWork(pool[h], pool[j])).OrderByDescending(j => similarity[h][j]).ToList();
                var near = byCloseness.Take(settings.PairsPerMoreHub - 1);
                var far = byCloseness.Where(j => similarity[h][j] is >= 0.03f and < 0.12f).Take(1);
                thirdRound.AddRange(near.Concat(far).Select(j => ToPair(pool[h], pool[j], split, "more hubs")));
            }
        }
        return pairs;
    }

    private static SummaryPair ToPair(Paper hub, Paper citing, string split, string proposedBy) => new()
    {
        Id = $"scitldr-{hub.Id}-{citing.Id}",
        HubKey = "scitldr:" + hub.Id,
        HubTitle = hub.Title,
        HubAbstract = hub.Abstract,
        CitingTitle = citing.Title,
        Summary = citing.Summary,
        Source = $"SciTLDR {hub.File}.jsonl paper {hub.Id} (hub: title, abstract) / {citing.File}.jsonl paper {citing.Id} (citing: title, target[0] author TLDR); proposed as {proposedBy}",
        Split = split,
    };

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

    [GeneratedRegex(@"\b(fail\w*|vulnerab\w*|limit\w*|robust\w*|brittle|break\w*|flaw\w*|overestimat\w*|not|cannot|unreliable|misleading|ineffective|poor\w*|shortcomings?|pitfalls?|suffer\w*|problems?|issues?|collapse\w*|instabilit\w*|unstable|bias\w*|weakness\w*|insufficient|lack\w*|hard|difficult\w*|wrong|mistak\w*|fool\w*|attack\w*|degrad\w*|harm\w*|hurt\w*|worse|surpris\w*|rethink\w*|revisit\w*|question\w*|illusion|unnecessary|confirm\w*|consistent|replicat\w*|reproduc\w*|validat\w*|corroborat\w*|explain\w*|justif\w*|support\w*|why|provabl\w*|guarantee\w*|understand\w*|insights?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionsOrExplains();

    [GeneratedRegex(@"\b(evaluat\w*|benchmark\w*|datasets?|tested on|experiments on|state-of-the-art on)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Evaluates();

    [GeneratedRegex(@"\bwe (introduce|present|release|propose|collect|construct|build|create)\b[^.]{0,100}\b(dataset|benchmark|corpus|suite|environment|testbed)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex IntroducesResource();

    [GeneratedRegex(@"\b(fail|fails|vulnerab\w*|limitations?|not robust|brittle|break\w*|flaw\w*|overestimat\w*|does not|do not|cannot|unreliable|misleading|ineffective|poorly|shortcomings?|pitfalls?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReportsFailure();

    [GeneratedRegex(@"\b(confirm\w*|consistent with|replicat\w*|reproduc\w*|validat\w*|corroborat\w*|explains? why|justif\w*|support\w* the)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReportsConfirmation();
}
