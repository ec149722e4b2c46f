namespace CitationService.Tests.Server;

/// <summary>Reads a compact page's explorer straight from its lines, independently of the parser.</summary>
internal static class SeedPage
{
    public static List<(string Title, string? Summary)> ExplorerEntries(string page)
    {
        var lines = page.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
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
