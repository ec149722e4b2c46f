using System.Diagnostics;

namespace CitationService.Bench;

/// <summary>
/// Every call's latency, one slot per call index (no locking: each index is written by one caller).
/// Counts are bounded (tens of thousands), so exact percentiles over all calls are cheap; no bucketing.
/// </summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = CreateEmpty(capacity);

    /// <summary>Records call <paramref name="index"/>, started at <paramref name="startTimestamp"/> (Stopwatch ticks).</summary>
    public void Record(int index, long startTimestamp) => _ticks[index] = Stopwatch.GetTimestamp() - startTimestamp;

    /// <summary>Sorted latencies of the calls that were recorded (failed calls are not).</summary>
    public LatencySummary Summarize()
    {
        var recorded = _ticks.Where(t => t >= 0).Order().ToArray();
        return new LatencySummary(recorded);
    }

    private static long[] CreateEmpty(int capacity)
    {
        var ticks = new long[capacity];
        Array.Fill(ticks, -1);
        return ticks;
    }
}

/// <summary>Nearest-rank percentiles over sorted Stopwatch tick counts.</summary>
public sealed class LatencySummary(long[] sortedTicks)
{
    public int Count => sortedTicks.Length;

    public TimeSpan Percentile(double percent)
    {
        if (sortedTicks.Length == 0)
        {
            return TimeSpan.Zero;
        }
        var rank = (int)Math.Ceiling(percent / 100 * sortedTicks.Length);
        return Stopwatch.GetElapsedTime(0, sortedTicks[Math.Clamp(rank - 1, 0, sortedTicks.Length - 1)]);
    }

    public TimeSpan Max => Percentile(100);
}
