using CitationService.Core.Pages;

namespace CitationService.Tests;

/// <summary>The seed pages the test project copies to its output folder.</summary>
internal static class SeedPages
{
    public const string Npo = "000_bb0c471c89efa636.txt";
    public const string Pythia = "pith-pythia-suite.txt";
    public const string RawArxiv = "pith-raw-arxiv-2310.10683.txt";
    public const string ToEach = "pith-raw-to-each-textual-sequence.txt";

    /// <summary>Stored JSON responses (seeds/json/): <c>&lt;uuid&gt;.json</c> of two hubs and one <c>citers.json</c>.</summary>
    public const string ChainOfThoughtJson = "chain-of-thought-prompting.json.txt";
    public const string PpoJson = "ppo-proximal-policy-optimization.json.txt";
    public const string CitersJson = "unknown-0d865a62.citers.json.txt";

    public static string Text(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, name));

    public static string[] Lines(string name) => Text(name).Replace("\r\n", "\n").Split('\n');

    public static HubPage Parse(string name) => HubPageParser.Parse(Text(name));

    /// <summary>
    /// A stored JSON response as fetched, without the file's wrapper (a <c>url:</c> line and a <c>-----chunk-----</c>
    /// line before it, a line break after it): the first ~2,000 characters, so cut off mid-value.
    /// </summary>
    public static string Json(string name)
    {
        const string Chunk = "-----chunk-----\n";
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, "json", name)).Replace("\r\n", "\n");
        var start = text.IndexOf(Chunk, StringComparison.Ordinal);
        if (!text.StartsWith("url: ", StringComparison.Ordinal) || start < 0)
        {
            throw new InvalidDataException($"{name} is not a stored response (url: line, {Chunk.Trim()} line, response)");
        }
        return text[(start + Chunk.Length)..].TrimEnd('\n');
    }

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
