using CitationService.Core.Pages;

namespace CitationService.Tests;

/// <summary>The seed pages the test project copies to its output folder.</summary>
internal static class SeedPages
{
    public const string Npo = "000_bb0c471c89efa636.txt";
    public const string Pythia = "pith-pythia-suite.txt";
    public const string RawArxiv = "pith-raw-arxiv-2310.10683.txt";
    public const string ToEach = "pith-raw-to-each-textual-sequence.txt";

    public static string Text(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, name));

    public static string[] Lines(string name) => Text(name).Replace("\r\n", "\n").Split('\n');

    public static HubPage Parse(string name) => HubPageParser.Parse(Text(name));

    /// <summary>A compact page's explorer (title, summary or null) read straight from its lines, independently of the parser.</summary>
    public static List<(string Title, string? Summary)> ExplorerEntries(string name)
    {
        var lines = Lines(name).ToList();
        var start = lines.IndexOf("citing papers explorer") + 1;
        var entries = new List<(string, string?)>();
        for (var i = start; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("- ", StringComparison.Ordinal))
            {
                entries.Add((lines[i][2..], null));
            }
            else if (lines[i] == "-")
            {
                var hasSummary = i + 2 < lines.Count && lines[i + 2] != "-" && !lines[i + 2].StartsWith("- ", StringComparison.Ordinal);
                entries.Add((lines[i + 1], hasSummary ? lines[i + 2] : null));
                i += hasSummary ? 2 : 1;
            }
        }
        return entries;
    }
}
