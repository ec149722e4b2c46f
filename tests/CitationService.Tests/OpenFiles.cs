using System.Diagnostics;

namespace CitationService.Tests;

/// <summary>What this process holds open, read from <c>/proc/self/fd</c>.</summary>
internal static class OpenFiles
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>File descriptors of this process open on files whose path starts with <paramref name="pathPrefix"/> (a SQLite database: its file, WAL and shared memory).</summary>
    public static int Under(string pathPrefix) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && target.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>
    /// <see cref="Under"/> once it is <paramref name="expected"/>, or what it is after five seconds of waiting.
    /// Counting right after the last connection closed sometimes still lists its files: about one count in a
    /// few hundred, in a loop of the suite's store tests, listed one to three connections' files for up to
    /// 0.4 s, which then closed with nothing more done. A file really left open is still open after the wait.
    /// </summary>
    public static int UnderOnceSettled(string pathPrefix, int expected) => UnderOnceSettled(pathPrefix, count => count == expected);

    /// <summary><see cref="Under"/> once <paramref name="settled"/> holds for it, or what it is after five seconds of waiting.</summary>
    public static int UnderOnceSettled(string pathPrefix, Func<int, bool> settled)
    {
        var waited = Stopwatch.StartNew();
        var count = Under(pathPrefix);
        while (!settled(count) && waited.Elapsed < SettleTimeout)
        {
            Thread.Sleep(20);
            count = Under(pathPrefix);
        }
        return count;
    }
}
