namespace CitationService.Tests;

/// <summary>What this process holds open, read from <c>/proc/self/fd</c>.</summary>
internal static class OpenFiles
{
    /// <summary>File descriptors of this process open on files whose path starts with <paramref name="pathPrefix"/> (a SQLite database: its file, WAL and shared memory).</summary>
    public static int Under(string pathPrefix) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && target.StartsWith(pathPrefix, StringComparison.Ordinal));
}
