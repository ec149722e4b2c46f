using System.Text;
using System.Text.Json;
using CitationService.Classification.Summaries;
using CitationService.Core.Pages;

namespace CitationService.Cli;

/// <summary>
/// <c>citations summaries propose</c>: writes the candidate (hub, summary) pairs of the summary corpus, unlabelled,
/// and annotation sheets people read to label them (docs/ANNOTATION.md). Labels never come from this program.
/// </summary>
internal static class SummariesCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static int Propose(string sciTldrDir, string actTestPath, string seedsDir, string outDir, int sheetSize)
    {
        Directory.CreateDirectory(outDir);
        var pairs = SeedPairs(seedsDir).Concat(PairProposer.Propose(sciTldrDir, new PairProposer.Settings())).Concat(PairProposer.ProposeAct(actTestPath)).ToList();
        File.WriteAllLines(Path.Combine(outDir, "candidates.jsonl"), pairs.Select(p => JsonSerializer.Serialize(p, Json)));

        // Sheets hold only pairs that no first-pass label file covers yet, numbered after the labelled sheets.
        var firstPass = Path.Combine(outDir, "labels", "first");
        var labelled = Directory.Exists(firstPass)
            ? Directory.GetFiles(firstPass, "*.tsv").SelectMany(File.ReadLines).Select(l => l.Split('\t')[0]).ToHashSet(StringComparer.Ordinal)
            : [];
        var sheet = Directory.Exists(firstPass) ? Directory.GetFiles(firstPass, "*.tsv").Length : 0;
        var sheets = Path.Combine(outDir, "sheets");
        if (Directory.Exists(sheets))
        {
            Directory.Delete(sheets, recursive: true);
        }
        Directory.CreateDirectory(sheets);
        var groups = pairs.Where(p => !labelled.Contains(p.Id)).GroupBy(p => p.HubKey).ToList();
        var firstSheet = sheet + 1;
        var current = new List<IGrouping<string, SummaryPair>>();
        foreach (var group in groups)
        {
            current.Add(group);
            if (current.Sum(g => g.Count()) >= sheetSize)
            {
                WriteSheet(sheets, ++sheet, current);
                current = [];
            }
        }
        if (current.Count > 0)
        {
            WriteSheet(sheets, ++sheet, current);
        }
        foreach (var split in pairs.GroupBy(p => p.Split))
        {
            Console.WriteLine($"{split.Key}: {split.Count()} pairs over {split.Select(p => p.HubKey).Distinct().Count()} hubs");
        }
        Console.WriteLine($"{pairs.Count} candidate pairs, {labelled.Count} labelled; sheets {firstSheet}..{sheet} in {sheets} hold the rest");
        return 0;
    }

    /// <summary>A sheet shows each hub once, then its candidate summaries, each with its pair id.</summary>
    private static void WriteSheet(string dir, int number, List<IGrouping<string, SummaryPair>> hubs)
    {
        var text = new StringBuilder();
        foreach (var hub in hubs)
        {
            var first = hub.First();
            text.AppendLine("==================== HUB ====================");
            text.AppendLine($"HUB TITLE: {first.HubTitle}");
            if (first.HubTier.Length > 0)
            {
                text.AppendLine($"HUB TIER: {first.HubTier}");
            }
            text.AppendLine($"HUB ABSTRACT: {first.HubAbstract}");
            text.AppendLine();
            foreach (var pair in hub)
            {
                text.AppendLine($"[{pair.Id}]");
                text.AppendLine($"  citing title: {pair.CitingTitle}");
                if (pair.Context.Length > 0)
                {
                    text.AppendLine($"  (no summary: the citing title stands in for it)");
                    text.AppendLine($"  citation context (#AUTHOR_TAG marks the hub): {pair.Context}");
                }
                else
                {
                    text.AppendLine($"  summary: {pair.Summary}");
                }
            }
            text.AppendLine();
        }
        File.WriteAllText(Path.Combine(dir, $"sheet-{number:D2}.txt"), text.ToString());
    }

    /// <summary>Every citing paper with a summary on the seed pages: real Pith (hub, citing paper) pairs.</summary>
    private static IEnumerable<SummaryPair> SeedPairs(string seedsDir)
    {
        foreach (var file in Directory.GetFiles(seedsDir, "*.txt").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var page = HubPageParser.Parse(File.ReadAllText(file));
            // The project's seed hub is scored, never trained on: it is the page users see first.
            var split = name.StartsWith("000_", StringComparison.Ordinal) ? "test" : "train";
            foreach (var (paper, index) in page.CitingPapers.Select((p, i) => (p, i)))
            {
                if (string.IsNullOrWhiteSpace(paper.Summary))
                {
                    continue;
                }
                yield return new SummaryPair
                {
                    Id = $"seed-{Path.GetFileNameWithoutExtension(name)}-{index:D3}",
                    HubKey = "seed:" + name,
                    HubTitle = page.Title,
                    HubAbstract = page.Abstract,
                    HubTier = page.TierLabel,
                    CitingTitle = paper.Title,
                    Summary = paper.Summary!,
                    Source = $"seeds/{name}, citing paper {index + 1} in page order",
                    Split = split,
                };
            }
        }
    }
}
