using System.Globalization;
using System.Text;

namespace CitationService.Bench;

/// <summary>The inputs the bench sends: real seed summaries and a generated large hub page.</summary>
public static class Workload
{
    public const string SeedPage = "000_bb0c471c89efa636.txt";

    /// <summary>The length the big hub's summaries are cut to.</summary>
    public const int SummaryLength = 100;

    /// <summary>
    /// The one-line summaries of the seed page's "citing papers explorer": each entry is a "-" line, a title
    /// line and (when present) a summary line.
    /// </summary>
    public static IReadOnlyList<string> SeedSummaries(RepoLayout repo)
    {
        var lines = File.ReadAllLines(Path.Combine(repo.SeedsDirectory, SeedPage)).Select(l => l.Trim()).ToArray();
        var explorer = Array.IndexOf(lines, "citing papers explorer");
        var summaries = new List<string>();
        for (var i = explorer + 1; i + 2 < lines.Length; i++)
        {
            if (lines[i] == "-" && lines[i + 1] != "-" && lines[i + 2] is { Length: > 0 } summary && summary != "-")
            {
                summaries.Add(summary);
            }
        }
        return summaries.Count > 0
            ? summaries.Distinct().ToList()
            : throw new InvalidOperationException($"No summaries found in seeds/{SeedPage}.");
    }

    /// <summary>
    /// A hub page with <paramref name="papers"/> citing papers ("Citing paper number 000001"), each with one of
    /// <paramref name="summaries"/> (cycled, numbered so no two are equal, cut to their first
    /// <see cref="SummaryLength"/> characters so 100,000 of them fit the 16 MiB message limit) as its one-line
    /// summary: ingesting it stores and labels every paper.
    /// </summary>
    public static string BigHubPage(int papers, IReadOnlyList<string> summaries, out string title)
    {
        title = "Benchmark hub with many citing papers";
        var page = new StringBuilder(papers * 200);
        page.Append(title).Append('\n');
        page.Append(papers.ToString(CultureInfo.InvariantCulture)).Append(" Pith papers cite this work.\n");
        page.Append("citing papers explorer\n");
        for (var i = 1; i <= papers; i++)
        {
            // The summary last on its entry and ending a sentence, so the page's last line does not read as cut off.
            page.Append("-\nCiting paper number ").Append(i.ToString("D6", CultureInfo.InvariantCulture)).Append('\n')
                .Append('(').Append(i.ToString(CultureInfo.InvariantCulture)).Append(") ")
                .Append(summaries[i % summaries.Count].AsSpan(0, Math.Min(SummaryLength, summaries[i % summaries.Count].Length))).Append(".\n");
        }
        return page.ToString();
    }

    /// <summary>The generated 10^6-paper hub's title; it says what the hub is.</summary>
    public const string MillionHubTitle = "Benchmark hub with a million citing papers (generated, titles only)";

    /// <summary>The generated 10^6-paper hub's Pith address: its pages after the first are filtered views of it (<c>?part=2</c>, ...), whose new papers follow the hub's last.</summary>
    public const string MillionHubAddress = "https://pith.science/citations/00000000-0000-4000-8000-00000000b10c";

    /// <summary>
    /// One page of the generated 10^6-paper hub: citing papers <paramref name="first"/> to
    /// <paramref name="first"/> + <paramref name="count"/> - 1 ("Citing paper number 0000001"), titles only, so
    /// ingesting it stores papers and labels none.
    /// </summary>
    public static string TitlesOnlyPage(int first, int count, int hubPapers)
    {
        var page = new StringBuilder(count * 32);
        page.Append(MillionHubTitle).Append('\n');
        page.Append(hubPapers.ToString(CultureInfo.InvariantCulture)).Append(" Pith papers cite this work.\n");
        page.Append("citing papers explorer\n");
        for (var i = first; i < first + count; i++)
        {
            page.Append("-\nCiting paper number ").Append(i.ToString("D7", CultureInfo.InvariantCulture)).Append('\n');
        }
        return page.ToString();
    }
}
