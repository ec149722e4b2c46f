using System.Globalization;

namespace CitationService.Cli.Ingest;

/// <summary>The table <c>citations ingest</c> ends with: one row per file sent, then the totals.</summary>
internal static class IngestTable
{
    private const int TitleWidth = 40;

    private static readonly string[] Header = ["file", "hub id", "hub title", "hub", "added", "updated", "unchanged", "labelled", "warnings"];

    /// <summary>Columns 4 and up are counts, aligned right.</summary>
    private const int FirstCountColumn = 4;

    public static void Write(TextWriter output, IReadOnlyList<FileOutcome> outcomes, IReadOnlyDictionary<string, string> titles, int fileCount)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(outcomes.Select(o => Row(o, titles)));
        var stored = outcomes.Where(o => o.Reply is not null).Select(o => o.Reply!).ToList();
        rows.Add(["total", "", "", "", .. Counts(stored.Sum(r => r.CitingPapersAdded), stored.Sum(r => r.CitingPapersUpdated),
            stored.Sum(r => r.CitingPapersUnchanged), stored.Sum(r => r.CitingPapersLabelled), stored.Sum(r => r.Warnings.Count))]);

        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c >= FirstCountColumn ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }

        var created = stored.Count(r => r.HubCreated);
        var updated = stored.Count(r => !r.HubCreated && r.HubUpdated);
        var line = $"{fileCount} files: {stored.Count} stored (hubs: {created} created, {updated} updated, {stored.Count - created - updated} unchanged; "
            + $"{stored.Select(r => r.HubId).Distinct().Count()} distinct)";
        foreach (var (status, what) in new[] { (FileStatus.Refused, "refused"), (FileStatus.TimedOut, "timed out"), (FileStatus.Unreadable, "unreadable") })
        {
            var count = outcomes.Count(o => o.Status == status);
            if (count > 0)
            {
                line += $", {count} {what}";
            }
        }
        if (outcomes.Count < fileCount)
        {
            line += $", {fileCount - outcomes.Count} not sent";
        }
        output.WriteLine(line);
    }

    private static string[] Row(FileOutcome outcome, IReadOnlyDictionary<string, string> titles)
    {
        if (outcome.Reply is not { } reply)
        {
            var status = outcome.Status switch
            {
                FileStatus.Refused => "refused",
                FileStatus.TimedOut => "timed out",
                _ => "unreadable",
            };
            return [outcome.File.Name, "-", "-", status, "-", "-", "-", "-", "-"];
        }
        var hub = reply.HubCreated ? "created" : reply.HubUpdated ? "updated" : "unchanged";
        return [outcome.File.Name, reply.HubId, Shorten(titles.GetValueOrDefault(reply.HubId, "?")), hub,
            .. Counts(reply.CitingPapersAdded, reply.CitingPapersUpdated, reply.CitingPapersUnchanged, reply.CitingPapersLabelled, reply.Warnings.Count)];
    }

    private static string[] Counts(params int[] counts) => [.. counts.Select(n => n.ToString(CultureInfo.InvariantCulture))];

    private static string Shorten(string title)
    {
        var flat = string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= TitleWidth ? flat : flat[..(TitleWidth - 1)].TrimEnd() + "…";
    }
}
