using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;

namespace CitationService.Bench;

/// <summary>One unary call; <c>index</c> picks the request (e.g. which text), 0-based.</summary>
public delegate Task UnaryCall(int index, CancellationToken cancellationToken);

/// <summary>
/// Closed-loop load: a fixed number of callers (channels × in-flight per channel), each starting its next call
/// when the previous one answers, until a fixed number of calls is done or a time limit passes (so a slow call
/// type cannot stretch the run). Throughput is calls done / wall time.
/// </summary>
/// CPU time of the server process and of the bench itself over the measured phase is recorded too: on a shared,
/// noisy machine CPU per call varies much less than wall-clock throughput.
/// With <c>databaseCpu</c> (the CPU time of a database server outside the server process: PostgreSQL's) that
/// server's CPU time over the measured phase is recorded as well.
public sealed class LoadRunner(IReadOnlyList<GrpcChannel> channels, int inFlightPerChannel, int serverPid, Func<TimeSpan>? databaseCpu = null)
{
    public int Callers => channels.Count * inFlightPerChannel;

    /// <summary>
    /// Runs <paramref name="warmupCalls"/> unmeasured calls, then <paramref name="calls"/> measured ones (each phase
    /// stops early at <paramref name="warmupLimit"/> / <paramref name="limit"/>);
    /// <paramref name="createCall"/> makes the call function for one caller on one channel (clients are created once).
    /// </summary>
    public async Task<LoadResult> RunAsync(string name, int calls, TimeSpan limit, int warmupCalls, TimeSpan warmupLimit, Func<GrpcChannel, UnaryCall> createCall, CancellationToken cancellationToken)
    {
        if (warmupCalls > 0)
        {
            await RunCallsAsync(warmupCalls, warmupLimit, createCall, recorder: null, new ErrorTally(), cancellationToken);
        }
        var recorder = new LatencyRecorder(calls);
        var errors = new ErrorTally();
        var serverCpu = CpuTime.OfProcess(serverPid);
        var clientCpu = CpuTime.OfThisProcess();
        var dbCpu = databaseCpu?.Invoke();
        var wall = Stopwatch.StartNew();
        var done = await RunCallsAsync(calls, limit, createCall, recorder, errors, cancellationToken);
        wall.Stop();
        return new LoadResult(name, done, errors, wall.Elapsed, recorder.Summarize(),
            CpuTime.OfProcess(serverPid) - serverCpu, CpuTime.OfThisProcess() - clientCpu, databaseCpu?.Invoke() - dbCpu);
    }

    /// <returns>How many calls were made.</returns>
    private async Task<int> RunCallsAsync(int calls, TimeSpan limit, Func<GrpcChannel, UnaryCall> createCall, LatencyRecorder? recorder, ErrorTally errors, CancellationToken cancellationToken)
    {
        var next = -1;
        var made = 0;
        var phaseStart = Stopwatch.GetTimestamp();
        var callers = new List<Task>();
        foreach (var channel in channels)
        {
            for (var i = 0; i < inFlightPerChannel; i++)
            {
                var call = createCall(channel);
                callers.Add(Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) is var index && index < calls && Stopwatch.GetElapsedTime(phaseStart) < limit)
                    {
                        Interlocked.Increment(ref made);
                        var start = Stopwatch.GetTimestamp();
                        try
                        {
                            await call(index, cancellationToken);
                            recorder?.Record(index, start);
                        }
                        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                        {
                            // Counted and reported, not fatal: the table shows errors next to the figures.
                            errors.Add(e);
                        }
                    }
                }, cancellationToken));
            }
        }
        await Task.WhenAll(callers);
        return made;
    }
}

/// <summary>Failed calls by status code, with the first message of each.</summary>
public sealed class ErrorTally
{
    private readonly ConcurrentDictionary<StatusCode, (int Count, string First)> _byCode = new();

    public void Add(RpcException e) =>
        _byCode.AddOrUpdate(e.StatusCode, _ => (1, e.Status.Detail), (_, v) => (v.Count + 1, v.First));

    public int Count => _byCode.Values.Sum(v => v.Count);

    public override string ToString() =>
        string.Join("; ", _byCode.Select(kv => $"{kv.Value.Count}× {kv.Key}: {kv.Value.First}"));
}

public sealed record LoadResult(string Name, int Calls, ErrorTally Errors, TimeSpan Wall, LatencySummary Latency, TimeSpan ServerCpu, TimeSpan ClientCpu, TimeSpan? DatabaseCpu = null)
{
    public TimeSpan ServerCpuPerCall => ServerCpu / Math.Max(1, Calls);
    public TimeSpan? DatabaseCpuPerCall => DatabaseCpu / Math.Max(1, Calls);
    public TimeSpan ClientCpuPerCall => ClientCpu / Math.Max(1, Calls);
    public int Succeeded => Calls - Errors.Count;
    public double CallsPerSecond => Succeeded / Wall.TotalSeconds;
}

/// <summary>User + system CPU time of a process.</summary>
public static class CpuTime
{
    // /proc reports CPU times in USER_HZ clock ticks, which Linux fixes at 100 per second for user space.
    private const double TicksPerSecond = 100;

    /// <summary>From /proc/&lt;pid&gt;/stat: utime and stime, the 14th and 15th fields.</summary>
    public static TimeSpan OfProcess(int pid) => FromTicks(ProcessStat.Read(pid).OwnTicks);

    /// <summary>
    /// A PostgreSQL server's CPU time: the postmaster's and that of its children (the backends, one per
    /// connection, and the background processes), each with the children it has waited for, so a backend that
    /// exited stays counted (in the postmaster's share). Processes that end while this reads are skipped.
    /// </summary>
    public static TimeSpan OfPostgresServer(int postmasterPid)
    {
        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && pid != postmasterPid
                && ProcessStat.TryRead(pid) is { ParentPid: var parent } stat && parent == postmasterPid)
            {
                ticks += stat.OwnTicks + stat.WaitedChildrenTicks;
            }
        }
        var postmaster = ProcessStat.Read(postmasterPid);
        return FromTicks(ticks + postmaster.OwnTicks + postmaster.WaitedChildrenTicks);
    }

    private static TimeSpan FromTicks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    public static TimeSpan OfThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <summary>The fields of /proc/&lt;pid&gt;/stat the bench reads; CPU times in clock ticks.</summary>
public sealed record ProcessStat(string Command, int ParentPid, long OwnTicks, long WaitedChildrenTicks)
{
    public static ProcessStat Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may contain spaces; the fields after it start with field 3 (state).
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        return new ProcessStat(stat[(open + 1)..close], (int)Parse(fields[1]),
            Parse(fields[11]) + Parse(fields[12]), Parse(fields[13]) + Parse(fields[14]));
    }

    /// <summary>Null when the process does not exist (any more).</summary>
    public static ProcessStat? TryRead(int pid)
    {
        try
        {
            return Read(pid);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    private static long Parse(string field) => long.Parse(field, System.Globalization.CultureInfo.InvariantCulture);
}
