namespace CitationService.Cli.Ingest;

/// <summary>One file to send: where it is, how to name it in messages, and the source URL known before reading it.</summary>
internal sealed record PageFile(string Path, string Name, string? ExplicitUrl, string? ListedUrl);

/// <summary>
/// The files <c>citations ingest</c> sends, in a stable order, with the source URL each one's folder lists: FILE
/// arguments in the order given, a DIR's <c>*.txt</c> and <c>*.json</c> files recursively in ordinal order of
/// their paths, each file once.
/// </summary>
internal static class PageFiles
{
    /// <summary>The file in a page's folder that gives source URLs: <c>file&lt;TAB&gt;url</c> lines, <c>#</c> comments.</summary>
    public const string SourcesFile = "sources.tsv";

    private static readonly string[] Extensions = [".txt", ".json"];

    /// <summary>The files under <paramref name="paths"/>; or the problems (missing paths, unreadable folders) when there are any.</summary>
    public static (List<PageFile> Files, List<string> Problems) Resolve(IReadOnlyList<string> paths, string? explicitUrl)
    {
        var files = new List<PageFile>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sources = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                IEnumerable<(string Full, string Name)> found;
                if (File.Exists(path))
                {
                    found = [(Path.GetFullPath(path), path)];
                }
                else if (Directory.Exists(path))
                {
                    var root = Path.GetFullPath(path);
                    var inFolder = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
                        .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                        .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/')))
                        .OrderBy(f => f.Relative, StringComparer.Ordinal)
                        .Select(f => (f.Full, Path.Join(path, f.Relative)))
                        .ToList();
                    if (inFolder.Count == 0)
                    {
                        problems.Add($"{path}: no *.txt or *.json files in this folder");
                    }
                    found = inFolder;
                }
                else
                {
                    problems.Add($"{path}: no such file or folder");
                    continue;
                }
                foreach (var (full, name) in found)
                {
                    if (!seen.Add(full))
                    {
                        continue;
                    }
                    var folder = Path.GetDirectoryName(full)!;
                    if (!sources.TryGetValue(folder, out var listed))
                    {
                        listed = ReadSources(Path.Combine(folder, SourcesFile));
                        sources[folder] = listed;
                    }
                    files.Add(new PageFile(full, name, explicitUrl, listed.GetValueOrDefault(Path.GetFileName(full))));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot read: {e.Message}");
            }
        }
        return (files, problems);
    }

    /// <summary>
    /// A folder's <c>sources.tsv</c> as the server's seeding reads it: <c>file&lt;TAB&gt;url</c> per line, lines that
    /// start with <c>#</c> skipped; empty when there is none.
    /// </summary>
    private static Dictionary<string, string> ReadSources(string path)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return sources;
        }
        foreach (var line in File.ReadAllLines(path))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2 && !line.StartsWith('#'))
            {
                sources[fields[0].Trim()] = fields[1].Trim();
            }
        }
        return sources;
    }
}
